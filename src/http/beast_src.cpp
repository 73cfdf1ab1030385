// The compiled bodies of Asio and Beast (BOOST_*_SEPARATE_COMPILATION): built once, here.
#include <boost/asio/impl/src.hpp>
#include <boost/beast/src.hpp>
