#pragma once
// How Veil's webrtcbins gather ICE candidates. libnice turns UPnP on by default, which multicasts
// SSDP discovery on every interface (the LAN included) looking for a router to open ports on: a
// server has no use for it, so every webrtcbin Veil makes turns it off. And its keepalives are
// plain STUN indications nobody answers, so a peer that vanished (a closed tab) stays "connected"
// for ever: Veil's make them connectivity checks, which fail about a minute after the peer is gone
// and take the ICE connection to "failed".
#include <gst/gst.h>

#include <string>
#include <vector>

#include "util/result.hpp"

namespace veil::media {

// Turns UPnP off, keepalives into connectivity checks and, when `local_addresses` is not empty,
// gathers on those addresses only. Call before any negotiation (the agent reads its addresses
// when gathering starts).
Status configure_ice(GstElement* webrtcbin, const std::vector<std::string>& local_addresses = {});

}  // namespace veil::media
