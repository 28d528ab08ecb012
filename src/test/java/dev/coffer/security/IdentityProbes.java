package dev.coffer.security;

import static dev.coffer.security.MatrixRun.invalid;
import static dev.coffer.security.MatrixRun.refuse;
import static dev.coffer.testing.Fixtures.enc;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.security.MatrixOracle.Kind;
import dev.coffer.security.MatrixOracle.Who;
import dev.coffer.security.MatrixRun.Expect;
import dev.coffer.security.MatrixSetup.Cred;
import dev.coffer.security.MatrixWorld.User;
import dev.coffer.testing.Http;
import java.util.ArrayList;
import java.util.List;

/** API.md §4 /api/me and §6 /api/access/check: who the caller is, and what it may do where. */
final class IdentityProbes {
    private IdentityProbes() {}

    static void me(MatrixRun run, Cred c) {
        Who w = c.who();
        Http.Response r = c.http(run.rnd).get("/api/me");
        Expect e = invalid(w);
        if (!run.judge("me GET", c, "GET /api/me", r, e != null ? e : Expect.of(200, "anyone may ask who they are"))
                || e != null) {
            return;
        }
        JsonNode j = r.json();
        String want = w.username() + " " + (w.kind() == Kind.ADMIN) + " " + c.via()
                + (w.kind() == Kind.USER
                        ? " " + w.user().groups().stream().sorted().toList()
                        : "")
                + (c.id() == null ? "" : " " + c.id());
        List<String> groups = new ArrayList<>();
        j.path("groups").forEach(g -> groups.add(g.asText()));
        String got = (j.path("username").isNull() ? null : j.path("username").asText()) + " "
                + j.path("admin").asBoolean()
                + " " + j.path("authenticatedBy").asText() + (w.kind() == Kind.USER ? " " + groups : "")
                + (c.id() == null ? "" : " " + j.path("credentialId").asText());
        if (!want.equals(got)) {
            run.wrong("me GET", "username admin authenticatedBy groups credentialId", c, "GET /api/me", want, got);
        }
    }

    /** A cell to ask about: a repository (now and then the missing one), a path, an action. */
    record Cell(String repo, String path, char action) {
        String query() {
            return "repo=" + repo + "&path=" + enc(path) + "&action=" + action;
        }
    }

    static Cell anyCell(MatrixRun run) {
        String repo = run.anyRepo();
        int k = run.rnd.nextInt(10);
        String path = k == 0
                ? ""
                : k < 3
                        ? run.missingFile(repo)
                        : k < 5 && !run.folders(repo).isEmpty() ? run.pick(run.folders(repo)) : run.anyFile(repo);
        return new Cell(repo, path, "rrwwddamxs".charAt(run.rnd.nextInt(10)));
    }

    /** The caller's own explanation: allowed exactly when the oracle allows. */
    static void checkSelf(MatrixRun run, Cred c) {
        Cell cell = anyCell(run);
        String url = "/api/access/check?" + cell.query();
        explain(run, c, "access/check self", c.http(run.rnd), url, c.who(), cell);
    }

    static void explain(MatrixRun run, Cred c, String family, Http h, String url, Who as, Cell cell) {
        Http.Response r = h.get(url);
        Expect e = invalid(c.who());
        if (e == null) {
            e = Expect.of(200, "a caller may ask about itself");
        }
        if (run.judge(family, c, "GET " + url, r, e) && e.status() == 200) {
            boolean want = run.oracle.may(as, cell.repo(), cell.path(), cell.action());
            if (r.json().path("allowed").asBoolean() != want) {
                run.wrong(family, "allowed", c, "GET " + url, "allowed " + want, r.body());
            }
        }
    }

    /** About another user: administrators only (the answer is that user's password rights). */
    static void checkOther(MatrixRun run, Cred c) {
        Who w = c.who();
        User other = run.otherUser(w.kind() == Kind.USER ? w.user() : null);
        if (other == null) {
            return;
        }
        Cell cell = anyCell(run);
        String url = "/api/access/check?" + cell.query() + "&username=" + other.name();
        Expect e = invalid(w);
        if (e == null) {
            e = w.kind() == Kind.ADMIN
                    ? Expect.of(200, "admins may ask about others")
                    : refuse(w, "only admins may ask about another user");
        }
        Http.Response r = c.http(run.rnd).get(url);
        if (run.judge("access/check other user", c, "GET " + url, r, e) && e.status() == 200) {
            boolean want = run.oracle.may(new Who(Kind.USER, other, null), cell.repo(), cell.path(), cell.action());
            if (r.json().path("allowed").asBoolean() != want) {
                run.wrong("access/check other user", "allowed", c, "GET " + url, "allowed " + want, r.body());
            }
        }
    }
}
