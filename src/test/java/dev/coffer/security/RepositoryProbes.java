package dev.coffer.security;

import static dev.coffer.security.MatrixRun.invalid;
import static dev.coffer.security.MatrixRun.refuse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.security.MatrixOracle.Kind;
import dev.coffer.security.MatrixOracle.Who;
import dev.coffer.security.MatrixRun.Expect;
import dev.coffer.security.MatrixSetup.Cred;
import dev.coffer.security.MatrixWorld.Repo;
import dev.coffer.testing.Fixtures;
import dev.coffer.testing.Http;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * API.md §3 repositories: the list shows only repositories where the caller has some action; GET
 * needs some action; an update needs admin or m in the repository, and widening exposure
 * ({@code anonymousRead: true}) needs admin or m and r over the whole repository; create and
 * delete need admin.
 */
final class RepositoryProbes {
    private RepositoryProbes() {}

    static void list(MatrixRun run, Cred c) {
        Expect e = invalid(c.who());
        if (e == null) {
            e = Expect.of(200, "anyone may ask; only repositories with some action are listed");
        }
        Http.Response r = c.http(run.rnd).get("/api/repositories");
        if (run.judge("repositories GET list", c, "GET /api/repositories", r, e) && e.status() == 200) {
            Map<String, String> want = new TreeMap<>();
            List<Repo> all = new ArrayList<>(run.world.repos.values());
            all.add(run.world.virtual);
            for (Repo repo : all) {
                if (repo.exists && run.oracle.someAction(c.who(), repo.name)) {
                    want.put(repo.name, repo.anonymousRead + " " + repo.description);
                }
            }
            Map<String, String> got = new TreeMap<>();
            for (JsonNode j : r.json()) {
                String name = j.path("name").asText();
                if (name.startsWith(run.world.prefix + "-")) {
                    got.put(
                            name,
                            j.path("anonymousRead").asBoolean() + " "
                                    + j.path("description").asText());
                }
            }
            if (!want.equals(got)) {
                run.wrong(
                        "repositories GET list",
                        "listed repositories (anonymousRead description)",
                        c,
                        "GET /api/repositories",
                        want.toString(),
                        got.toString());
            }
        }
    }

    static void get(MatrixRun run, Cred c) {
        String repo = run.anyRepo();
        Who w = c.who();
        Expect e = invalid(w);
        if (e == null) {
            if (!run.oracle.someAction(w, repo)) {
                e = refuse(w, "no action in the repository");
            } else {
                e = run.world.repos.containsKey(repo)
                        ? Expect.of(200, "some action in the repository")
                        : Expect.of(404, "some action (through \"*\"), no such repository");
            }
        }
        String url = "/api/repositories/" + repo;
        Http.Response r = c.http(run.rnd).get(url);
        if (run.judge("repositories GET one", c, "GET " + url, r, e) && e.status() == 200) {
            Repo m = run.world.repos.get(repo);
            String want = m.anonymousRead + " " + m.description;
            String got = r.json().path("anonymousRead").asBoolean() + " "
                    + r.json().path("description").asText();
            if (!want.equals(got)) {
                run.wrong("repositories GET one", "anonymousRead description", c, "GET " + url, want, got);
            }
        }
    }

    /** A description, or anonymousRead flipped (true on a private repository: the exposure rule). */
    static void update(MatrixRun run, Cred c) {
        String repo = run.pick(run.existingRepos());
        Repo m = run.world.repos.get(repo);
        Who w = c.who();
        boolean flip = run.rnd.nextInt(3) == 0;
        boolean expose = flip && !m.anonymousRead;
        String desc = run.world.fresh("desc");
        String body = flip ? "{\"anonymousRead\":" + !m.anonymousRead + "}" : "{\"description\":\"" + desc + "\"}";
        Expect e = invalid(w);
        if (e == null) {
            if (w.kind() == Kind.NONE) {
                e = refuse(w, "anonymous callers administer nothing");
            } else if (expose) {
                boolean ok = w.kind() == Kind.ADMIN || run.oracle.whole(w, repo, 'm') && run.oracle.whole(w, repo, 'r');
                e = ok
                        ? Expect.of(200, "exposure with m and r over the whole repository (or admin)")
                        : refuse(w, "exposure needs admin or m and r over the whole repository");
            } else {
                boolean ok = w.kind() == Kind.ADMIN || run.oracle.somewhere(w, repo, 'm');
                e = ok
                        ? Expect.of(200, "update with m in the repository (or admin)")
                        : refuse(w, "an update needs admin or m in the repository");
            }
        }
        String family =
                "repositories PUT " + (expose ? "anonymousRead:true" : flip ? "anonymousRead:false" : "description");
        String url = "/api/repositories/" + repo;
        run.judge(family, c, "PUT " + url + " " + body, c.http(run.rnd).putJson(url, body), e);
        JsonNode now =
                Fixtures.expect(run.admin.get(url), "admin reads " + repo, 200).json();
        boolean changed = e.status() == 200;
        String want = flip ? String.valueOf(changed != m.anonymousRead) : changed ? desc : m.description;
        String got = flip
                ? String.valueOf(now.path("anonymousRead").asBoolean())
                : now.path("description").asText();
        if (!want.equals(got)) {
            run.wrong(family, "repository afterwards", c, "PUT " + url + " " + body, want, got);
        }
        m.anonymousRead = now.path("anonymousRead").asBoolean();
        m.description = now.path("description").asText();
    }

    /** Create and delete are for administrators; an admin's create is undone by the admin's delete. */
    static void createDelete(MatrixRun run, Cred c) {
        Who w = c.who();
        String fresh = run.world.fresh("new");
        String url = "/api/repositories/" + fresh;
        Expect e = invalid(w);
        if (e == null) {
            e = w.kind() == Kind.ADMIN ? Expect.of(201, "admin creates") : refuse(w, "only admins create repositories");
        }
        run.judge(
                "repositories PUT create", c, "PUT " + url, c.http(run.rnd).putJson(url, "{\"description\":\"x\"}"), e);
        boolean created = run.admin.get(url).status() == 200;
        if (created != (e.status() == 201)) {
            run.wrong(
                    "repositories PUT create",
                    "repository afterwards",
                    c,
                    "PUT " + url,
                    e.status() == 201 ? "created" : "not created",
                    created ? "created" : "not created");
        }
        // the delete: of the fresh one when it exists (admin), else of a repository of the world
        String target = created ? fresh : run.pick(run.existingRepos());
        String del = "/api/repositories/" + target;
        Expect d = invalid(w);
        if (d == null) {
            d = w.kind() == Kind.ADMIN ? Expect.of(204, "admin deletes") : refuse(w, "only admins delete repositories");
        }
        run.judge("repositories DELETE", c, "DELETE " + del, c.http(run.rnd).delete(del), d);
        int after = run.admin.get(del).status();
        if ((after == 404) != (d.status() == 204)) {
            run.wrong(
                    "repositories DELETE",
                    "repository afterwards",
                    c,
                    "DELETE " + del,
                    d.status() == 204 ? "gone" : "still there",
                    "admin GET says " + after);
        }
        if (!created && after == 404) {
            // a world repository wrongly deleted: the model follows, so later cells are judged on what is there
            run.world.repos.get(target).exists = false;
            run.world.repos.get(target).files.clear();
        }
    }
}
