package dev.coffer.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Set-up through the HTTP API, for every test that needs repositories, users, groups, permission
 * targets, files or credentials on a running server. Each step checks its answer: a set-up that
 * fails stops the test there, with the response in the message.
 */
public final class Fixtures {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger SEQ = new AtomicInteger();

    private Fixtures() {}

    /** A name no other test of this JVM uses. */
    public static String unique(String prefix) {
        return prefix + "-" + SEQ.incrementAndGet();
    }

    public static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A value for a query string or a form body. */
    public static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** The response if its status is one of {@code statuses}; else an AssertionError naming what and the response. */
    public static Http.Response expect(Http.Response r, String what, int... statuses) {
        for (int s : statuses) {
            if (r.status() == s) {
                return r;
            }
        }
        throw new AssertionError(what + ": expected " + Arrays.toString(statuses) + " but got " + r);
    }

    // ---- administration

    public static void repo(Server s, String name, boolean anonymousRead) {
        expect(
                s.admin()
                        .putJson(
                                "/api/repositories/" + name,
                                json(Map.of("description", "test repo " + name, "anonymousRead", anonymousRead))),
                "create repository " + name,
                200,
                201);
    }

    /** A private repository named {@code prefix-N}, a name no other test uses. */
    public static String newRepo(Server s, String prefix) {
        String name = unique(prefix);
        repo(s, name, false);
        return name;
    }

    public static void group(Server s, String name) {
        expect(
                s.admin().putJson("/api/groups/" + name, json(Map.of("description", "g"))),
                "create group " + name,
                200,
                201);
    }

    public static void user(Server s, String name, String password, String... groups) {
        expect(
                s.admin()
                        .putJson(
                                "/api/users/" + name,
                                json(Map.of(
                                        "password",
                                        password,
                                        "email",
                                        name + "@example.org",
                                        "groups",
                                        List.of(groups)))),
                "create user " + name,
                200,
                201);
    }

    /** A permission target on one repository giving {@code actions} (letters) on everything to one user. */
    public static void grantUser(Server s, String target, String repo, String user, String actions) {
        grant(s, target, List.of(repo), List.of("**"), user, actions);
    }

    /** A permission target on some repositories and include patterns giving {@code actions} (letters) to one user. */
    public static void grant(
            Server s, String target, List<String> repos, List<String> includes, String user, String actions) {
        permission(s, target, repos, includes, List.of(), Map.of(user, letters(actions)), Map.of());
    }

    /** A permission target on one repository, with every field given. */
    public static void permission(
            Server s,
            String name,
            String repo,
            List<String> includes,
            List<String> excludes,
            Map<String, List<String>> users,
            Map<String, List<String>> groups) {
        permission(s, name, List.of(repo), includes, excludes, users, groups);
    }

    private static void permission(
            Server s,
            String name,
            List<String> repos,
            List<String> includes,
            List<String> excludes,
            Map<String, List<String>> users,
            Map<String, List<String>> groups) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("repositories", repos);
        body.put("includePatterns", includes);
        body.put("excludePatterns", excludes);
        body.put("users", users);
        body.put("groups", groups);
        expect(s.admin().putJson("/api/permissions/" + name, json(body)), "create permission " + name, 200, 201);
    }

    /** "rw" as ["r", "w"]. */
    public static List<String> letters(String actions) {
        return actions.chars().mapToObj(c -> String.valueOf((char) c)).toList();
    }

    /** Uploads {@code content}: 201 new, 200 replaced. */
    public static Http.Response put(Http client, String url, String content) {
        return expect(client.put(url, content), "PUT " + url, 200, 201);
    }

    // ---- request bodies

    public static Http.Response postJson(Http h, String path, Object body) {
        return h.header("Content-Type", "application/json").post(path, json(body));
    }

    public static Http.Response postForm(Http h, String path, String form) {
        return h.header("Content-Type", "application/x-www-form-urlencoded").post(path, form);
    }

    public static Http.Response postForm(Http h, String path, Map<String, String> form) {
        StringBuilder sb = new StringBuilder();
        form.forEach((k, v) ->
                sb.append(sb.isEmpty() ? "" : "&").append(enc(k)).append('=').append(enc(v)));
        return postForm(h, path, sb.toString());
    }

    // ---- credentials

    /** POST /api/access-keys as {@code owner}: the 201 answer (key, id, ...). */
    public static JsonNode key(Http owner, Map<String, ?> body) {
        return expect(postJson(owner, "/api/access-keys", body), "create access key " + body, 201)
                .json();
    }

    /** POST /access/api/v1/tokens (a form) as {@code issuer}: the 200 answer (access_token, token_id, ...). */
    public static JsonNode token(Http issuer, String form) {
        return expect(postForm(issuer, "/access/api/v1/tokens", form), "issue token " + form, 200)
                .json();
    }

    public static JsonNode token(Http issuer, Map<String, String> form) {
        return expect(postForm(issuer, "/access/api/v1/tokens", form), "issue token " + form, 200)
                .json();
    }

    /** POST /api/tokens (log in): the 200 answer (token, user_id, ...). */
    public static JsonNode session(Server s, String user, String password) {
        return expect(
                        postJson(s.anonymous(), "/api/tokens", Map.of("username", user, "password", password)),
                        "log in as " + user,
                        200)
                .json();
    }

    /** GET /api/me: who the client is (username, authenticatedBy, ...). */
    public static JsonNode me(Http client) {
        return expect(client.get("/api/me"), "GET /api/me", 200).json();
    }
}
