package dev.coffer.testing;

import java.util.LinkedHashMap;
import java.util.Map;

/** Remote repositories for HTTP tests, made as a client makes them: PUT /api/repositories/{name}. */
public final class RemoteFixtures {
    private RemoteFixtures() {}

    /** A remote Maven repository of {@code url}; {@code more} adds fields (credentials, patterns, ...). */
    public static void remote(Server s, String name, String url, Map<String, Object> more) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("packageType", "maven");
        body.put("rclass", "remote");
        body.put("url", url);
        body.putAll(more);
        Fixtures.expect(
                s.admin().putJson("/api/repositories/" + name, Fixtures.json(body)),
                "create remote repository " + name,
                201);
    }

    public static void remote(Server s, String name, String url) {
        remote(s, name, url, Map.of());
    }
}
