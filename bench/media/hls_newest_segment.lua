-- wrk script for scripts/bench-media.sh: every request asks for the newest segment the live
-- playlist lists, as a crowd of HLS players at the live edge does. The playlist is read from the
-- room's folder on disk (the same file both servers serve) at most once a second, so wrk's own
-- cost stays one formatted request per request. Environment: HLS_DIR (the room's folder),
-- HLS_PATH (the URL path of that folder, ending in "/").
local dir = os.getenv("HLS_DIR")
local path = os.getenv("HLS_PATH")
local newest, read_at = nil, -1

local function reload()
  local f = io.open(dir .. "/index.m3u8", "r")
  if not f then return end
  for line in f:lines() do
    if line:sub(1, 1) ~= "#" and #line > 0 then newest = line end
  end
  f:close()
end

request = function()
  local now = os.time()
  if now ~= read_at then
    read_at = now
    reload()
  end
  return wrk.format("GET", path .. (newest or "index.m3u8"))
end
