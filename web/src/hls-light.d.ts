// hls.js ships its smaller build (no subtitles, alternate audio or DRM, none of which a live room
// uses) without its own type declarations: it has the full build's API.
declare module 'hls.js/light' {
  export { default } from 'hls.js';
}
