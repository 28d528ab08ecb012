package dev.coffer.admission;

import java.util.Iterator;

/**
 * What admission sees of a request, whatever serves it: Jetty in front of the router, a route, a
 * package format's handler. Nothing here names an HTTP framework.
 */
public interface RequestView {
    /** The method of the request line (method-override headers never count). */
    String method();

    /** The path as sent: still percent-encoded, without the query. */
    String rawPath();

    /** Every value of the header {@code name} (case-insensitive), in order; empty when there is none. */
    Iterator<String> headers(String name);

    /** The client's address: the peer, or behind trusted proxies the address they vouch for. */
    String clientAddress();

    /** A parameter of the matched route's path, decoded; null when no route matched or it has none so named. */
    String pathParam(String name);

    /** What admission has concluded about this request so far; one for the whole request. */
    Ticket ticket();
}
