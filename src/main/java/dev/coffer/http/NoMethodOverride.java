package dev.coffer.http;

import java.util.List;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;

/**
 * One verb per request (SECURITY-CHECKLIST 14): method-override headers are taken off every
 * request before anything reads it. Javalin routes by {@code X-HTTP-Method-Override} when present
 * ({@code Context.method()}), so a POST carrying {@code X-HTTP-Method-Override: DELETE} was decided
 * and run as a DELETE while the access log, the meters and any proxy rule saw a POST. Without the
 * header the request is what its request line says (a 405 where that method has no route). The
 * other common spellings are removed too, so no library added later can start honouring them.
 */
final class NoMethodOverride implements HttpConfiguration.Customizer {
    static final List<String> HEADERS = List.of("X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override");

    @Override
    public Request customize(Request request, HttpFields.Mutable responseHeaders) {
        HttpFields fields = request.getHeaders();
        if (!hasOverride(fields)) {
            return request;
        }
        HttpFields.Mutable kept = HttpFields.build(fields);
        HEADERS.forEach(kept::remove);
        HttpFields without = kept.asImmutable();
        return new Request.Wrapper(request) {
            @Override
            public HttpFields getHeaders() {
                return without;
            }
        };
    }

    /** One pass over the names (every request goes through here, downloads served on the selector too). */
    private static boolean hasOverride(HttpFields fields) {
        for (HttpField f : fields) {
            String name = f.getName();
            if (f.getHeader() == null && name.length() > 2 && (name.charAt(0) == 'X' || name.charAt(0) == 'x')) {
                for (String h : HEADERS) {
                    if (h.equalsIgnoreCase(name)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
