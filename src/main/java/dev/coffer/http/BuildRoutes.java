package dev.coffer.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.admission.Requirement;
import dev.coffer.artifact.ArtifactService;
import dev.coffer.artifact.FileRecord;
import dev.coffer.common.Action;
import dev.coffer.permission.AccessService;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * API.md §2: the files of one build (CircleCI's per-build artifact list): every file whose
 * properties carry {@code build.name} and {@code build.number}, only those the caller may read.
 */
public final class BuildRoutes {
    private final ArtifactService artifacts;
    private final AccessService access;
    private final LinkBase links;

    public BuildRoutes(ArtifactService artifacts, AccessService access, LinkBase links) {
        this.artifacts = Objects.requireNonNull(artifacts);
        this.access = Objects.requireNonNull(access);
        this.links = Objects.requireNonNull(links);
    }

    public List<Route> routes() {
        return List.of(new Route(
                HandlerType.GET,
                "/api/builds/{buildName}/{buildNumber}/artifacts",
                new Requirement.Anyone("lists only the build's files the caller may read"),
                this::artifacts));
    }

    private void artifacts(Context ctx, Route.Request r) {
        String name = ctx.pathParam("buildName");
        String number = ctx.pathParam("buildNumber");
        String base = links.of(ctx);
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (FileRecord f : artifacts.findByProperties(Map.of("build.name", name, "build.number", number))) {
            if (!access.allows(r.caller(), Action.READ, f.repo(), f.path())) {
                continue;
            }
            ObjectNode o = out.addObject();
            o.put("repo", f.repo());
            o.put("path", f.path().toString());
            o.put("url", base + "/repository/" + Paths.segment(f.repo()) + "/" + Paths.encode(f.path()));
            o.put("size", f.size());
            o.put("sha256", f.checksums().sha256());
        }
        Json.send(ctx, 200, out);
    }
}
