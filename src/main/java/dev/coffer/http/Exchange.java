package dev.coffer.http;

import dev.coffer.admission.RequestView;
import dev.coffer.admission.Ticket;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;

/**
 * The one request object that every part of the server finds again: put in front of every request
 * by the last of Jetty's customizers (so the fast path gets it, the router finds it under the
 * servlet request, and Jetty hands it to the request log), it is the {@link RequestView} that
 * admission decides on, and it carries admission's {@link Ticket} and the route that matched.
 * Nothing about a request travels in string-keyed attributes.
 */
final class Exchange extends Request.Wrapper implements RequestView {
    private final ClientAddress clients;
    private final Ticket ticket = new Ticket();
    private String clientAddress;
    private String route;
    private Map<String, String> pathParams = Map.of();

    private Exchange(Request request, ClientAddress clients) {
        super(request);
        this.clients = clients;
    }

    /**
     * Wraps every request. Jetty gives the request log what the customizers made when it differs
     * from its own request (HttpChannelState's HandlerInvoker, Jetty 12.1), so it must be the last.
     */
    static HttpConfiguration.Customizer front(ClientAddress clients) {
        Objects.requireNonNull(clients);
        return (request, responseHeaders) -> new Exchange(request, clients);
    }

    /** The exchange of a Jetty request; null for one Jetty refused before any customizer ran. */
    static Exchange of(Request request) {
        return request instanceof Exchange e ? e : Request.as(request, Exchange.class);
    }

    /** The exchange of a request the router serves. */
    static Exchange of(Context ctx) {
        ServletContextRequest servlet = ServletContextRequest.getServletContextRequest(ctx.req());
        Exchange e = servlet == null ? null : Request.as(servlet, Exchange.class);
        if (e == null) {
            throw new IllegalStateException("the request has no Exchange: HttpServer installs it on every request");
        }
        return e;
    }

    /** The route that serves the request: its template (for meters and logs) and its path parameters. */
    void matched(String template, Map<String, String> params) {
        this.route = template;
        this.pathParams = params;
    }

    /** The matched route's template, or null. */
    String route() {
        return route;
    }

    @Override
    public String method() {
        return getMethod();
    }

    @Override
    public String rawPath() {
        return getHttpURI().getPath();
    }

    /** One pass and, for the usual absent or single header, no list (every download asks for five). */
    @Override
    public Iterator<String> headers(String name) {
        String first = null;
        List<String> all = null;
        for (HttpField f : getHeaders()) {
            if (f.is(name)) {
                if (first == null) {
                    first = f.getValue();
                } else {
                    if (all == null) {
                        all = new ArrayList<>();
                        all.add(first);
                    }
                    all.add(f.getValue());
                }
            }
        }
        return all != null ? all.iterator() : first != null ? List.of(first).iterator() : Collections.emptyIterator();
    }

    @Override
    public String clientAddress() {
        String a = clientAddress;
        if (a == null) {
            a = clients.resolve(this);
            clientAddress = a;
        }
        return a;
    }

    @Override
    public String pathParam(String name) {
        return pathParams.get(name);
    }

    @Override
    public Ticket ticket() {
        return ticket;
    }
}
