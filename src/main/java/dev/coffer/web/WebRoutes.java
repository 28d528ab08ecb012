package dev.coffer.web;

import dev.coffer.admission.Requirement;
import dev.coffer.common.CofferException;
import dev.coffer.http.Route;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The browser UI (API.md §4 rule 1: its static files are open to anyone): plain HTML, JavaScript
 * modules and CSS from the classpath folder {@code web/}. The pages hold no data; they call the
 * JSON API with the session token kept in the tab's sessionStorage. Every response carries a
 * strict Content-Security-Policy (no inline script or style, nothing from other origins).
 */
public final class WebRoutes {
    public static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    private static final String ROOT = "web/";
    /** Letters, digits, '-', '_' and '.', not starting with '.', in '/'-separated segments. */
    private static final Pattern SAFE_PATH =
            Pattern.compile("([A-Za-z0-9_-][A-Za-z0-9._-]*/)*[A-Za-z0-9_-][A-Za-z0-9._-]*");

    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "png", "image/png",
            "svg", "image/svg+xml",
            "ico", "image/x-icon");

    private final ClassLoader loader;
    private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

    public WebRoutes() {
        this.loader = WebRoutes.class.getClassLoader();
    }

    public List<Route> routes() {
        String why = "the web UI's static files (they hold no data; the pages call the API with credentials)";
        return List.of(
                new Route(HandlerType.GET, "/", new Requirement.Anyone("redirects to the web UI"), this::root),
                new Route(HandlerType.GET, "/ui", new Requirement.Anyone(why), (ctx, r) -> serve(ctx, "index.html")),
                new Route(
                        HandlerType.GET,
                        "/ui/<file>",
                        new Requirement.Anyone(why),
                        (ctx, r) -> serve(ctx, ctx.pathParam("file"))));
    }

    private void root(Context ctx, Route.Request r) {
        securityHeaders(ctx);
        ctx.header("Location", "/ui/");
        ctx.status(302);
    }

    static void securityHeaders(Context ctx) {
        ctx.header("Content-Security-Policy", CSP);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("X-Frame-Options", "DENY");
    }

    private void serve(Context ctx, String file) {
        if (file.isEmpty()) {
            file = "index.html";
        }
        int dot = file.lastIndexOf('.');
        String type = dot < 0 ? null : TYPES.get(file.substring(dot + 1).toLowerCase(Locale.ROOT));
        byte[] bytes =
                SAFE_PATH.matcher(file).matches() && type != null ? load(file).orElse(null) : null;
        if (bytes == null) {
            throw CofferException.notFound("there is no such page of the web UI");
        }
        securityHeaders(ctx);
        ctx.header("Cache-Control", "no-cache");
        ctx.header("Content-Type", type);
        ctx.status(200);
        ctx.result(bytes);
    }

    /** Only files that exist are cached, so requests for made-up names cannot grow the cache. */
    private Optional<byte[]> load(String file) {
        byte[] cached = cache.get(file);
        if (cached != null) {
            return Optional.of(cached);
        }
        try (InputStream in = loader.getResourceAsStream(ROOT + file)) {
            if (in == null) {
                return Optional.empty();
            }
            byte[] bytes = in.readAllBytes();
            cache.put(file, bytes);
            return Optional.of(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
