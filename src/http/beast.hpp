#pragma once
// The one header that pulls in Boost.Beast and Asio, for the few files of this folder that talk
// to the wire. Built with separate compilation (beast_src.cpp), so each includer stays quick.
#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

namespace veil::http {
namespace beast = boost::beast;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;
}  // namespace veil::http
