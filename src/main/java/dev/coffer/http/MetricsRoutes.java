package dev.coffer.http;

import dev.coffer.admission.Requirement;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/** GET /metrics: Prometheus text, for administrators (API.md §6); see also the metrics.port setting. */
public final class MetricsRoutes {
    private final Supplier<String> scrape;
    private final String contentType;

    public MetricsRoutes(Supplier<String> scrape, String contentType) {
        this.scrape = Objects.requireNonNull(scrape);
        this.contentType = Objects.requireNonNull(contentType);
    }

    public List<Route> routes() {
        return List.of(new Route(HandlerType.GET, "/metrics", new Requirement.Admin(), this::metrics));
    }

    private void metrics(Context ctx, Route.Request r) {
        ctx.status(200);
        ctx.contentType(contentType);
        ctx.result(scrape.get());
    }
}
