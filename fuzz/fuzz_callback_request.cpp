// The head of an HTTP request that reaches the loopback redirect listener
// (anything on this computer can connect to 127.0.0.1:<port>): request line,
// query decoding, Host header.

#include "FuzzInput.h"

#include "auth/LoopbackReplyHandler.h"

using namespace ondevice;
using namespace ondevice::auth;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const QByteArray head = fuzz::bytes(data, size);
    const auto request = CallbackRequest::parse(head);
    if (!request)
        return 0;
    fuzz::require(head.contains("\r\n"), "a parsed request had a complete request line");
    // The request line is split on spaces: no part of it may carry one along.
    fuzz::require(!request->method.contains(' '), "the method is one token");
    // Everything after the first '?' is the query, so the raw path stops there.
    const QByteArray target = head.left(head.indexOf("\r\n")).split(' ').value(1);
    fuzz::require(target.startsWith('/'), "origin-form targets only");
    return 0;
}
