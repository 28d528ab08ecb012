package dev.coffer.security;

import static dev.coffer.security.MatrixRun.invalid;
import static dev.coffer.security.MatrixRun.refuse;

import dev.coffer.security.MatrixOracle.Who;
import dev.coffer.security.MatrixRun.Expect;
import dev.coffer.security.MatrixSetup.Cred;
import dev.coffer.security.MatrixWorld.FileState;
import dev.coffer.testing.Http;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * API.md §1 DELETE of a file, a folder and a repository root (§3: an operation on a folder needs
 * its action on every path below it, all or nothing), and §7: matrix parameters on GET/DELETE are
 * 400 path_invalid. After each delete every file of the repository is looked at with the admin key;
 * whatever was deleted is then put back so that the world keeps its shape.
 */
final class DeleteProbes {
    private DeleteProbes() {}

    static void file(MatrixRun run, Cred c) {
        String repo = run.anyRepo();
        String path = run.rnd.nextInt(10) < 3 ? run.missingFile(repo) : run.anyFile(repo);
        Who w = c.who();
        Expect e = invalid(w);
        if (e == null) {
            if (!run.oracle.may(w, repo, path, 'd')) {
                e = refuse(w, "no d on the path" + run.where(repo));
            } else {
                e = run.oracle.isFile(repo, path)
                        ? Expect.of(204, "d on the file")
                        : Expect.of(404, "d, nothing there");
            }
        }
        String url = "/repository/" + repo + "/" + path;
        run.judge("content DELETE file", c, "DELETE " + url, c.http(run.rnd).delete(url), e);
        afterwards(
                run,
                c,
                "content DELETE file",
                "DELETE " + url,
                repo,
                e.status() == 204 ? Set.of(path) : Set.of(),
                Set.of(path));
    }

    static void folder(MatrixRun run, Cred c) {
        String repo = run.anyRepo();
        List<String> fs = run.folders(repo);
        String folder = run.rnd.nextInt(10) < 8 && !fs.isEmpty()
                ? run.pick(fs)
                : run.pick(MatrixWorld.TOP) + "/" + run.pick(MatrixWorld.MID);
        String url = "/repository/" + repo + "/" + folder + (run.rnd.nextBoolean() ? "/" : "");
        subtree(run, c, "content DELETE folder", url, repo, folder);
    }

    static void root(MatrixRun run, Cred c) {
        List<String> withFiles = run.existingRepos().stream()
                .filter(r -> !run.oracle.filesBelow(r, "").isEmpty())
                .toList();
        if (withFiles.isEmpty()) {
            return;
        }
        String repo = run.pick(withFiles);
        subtree(run, c, "content DELETE root", "/repository/" + repo + "/", repo, "");
        if (run.world.repos.get(repo).exists
                && run.admin.get("/api/repositories/" + repo).status() != 200) {
            run.wrong(
                    "content DELETE root",
                    "the repository itself is gone",
                    c,
                    "DELETE /repository/" + repo + "/",
                    "repository still there",
                    "admin GET /api/repositories/" + repo + " is not 200");
        }
    }

    /**
     * d on the folder path itself is decided first (403 before looking); then d on every file
     * below it, all or nothing.
     */
    private static void subtree(MatrixRun run, Cred c, String family, String url, String repo, String folder) {
        Who w = c.who();
        List<String> below = run.oracle.filesBelow(repo, folder);
        Expect e = invalid(w);
        if (e == null) {
            String denied = below.stream()
                    .filter(p -> !run.oracle.may(w, repo, p, 'd'))
                    .findFirst()
                    .orElse(null);
            if (!run.oracle.may(w, repo, folder, 'd')) {
                e = refuse(w, "no d on the folder path itself" + run.where(repo));
            } else if (below.isEmpty()) {
                e = Expect.of(404, "d on the folder path, no such folder");
            } else if (denied != null) {
                e = refuse(w, "d on the folder path but not on every file below (all or nothing)");
            } else {
                e = Expect.of(204, "d on the folder path and on every file below");
            }
        }
        run.judge(family, c, "DELETE " + url, c.http(run.rnd).delete(url), e);
        afterwards(run, c, family, "DELETE " + url, repo, e.status() == 204 ? new TreeSet<>(below) : Set.of(), null);
    }

    /**
     * Of {@code checked} (null: every file of the repository) exactly {@code expectedGone} left;
     * then everything deleted is put back.
     */
    private static void afterwards(
            MatrixRun run,
            Cred c,
            String family,
            String req,
            String repo,
            Set<String> expectedGone,
            Set<String> checked) {
        if (!run.world.repos.containsKey(repo)) {
            return;
        }
        Map<String, FileState> gone = MatrixSync.removed(run, repo, checked);
        if (!new TreeSet<>(gone.keySet()).equals(new TreeSet<>(expectedGone))) {
            run.wrong(
                    family,
                    "files deleted",
                    c,
                    req,
                    "deleted " + new TreeSet<>(expectedGone),
                    "deleted " + new TreeSet<>(gone.keySet()));
        }
        MatrixSync.restore(run, repo, gone);
    }

    /** {@code ;k=v} on a GET, HEAD or DELETE path is 400 path_invalid for every valid caller (§7), and changes nothing. */
    static void matrixParams(MatrixRun run, Cred c) {
        String repo = run.pick(run.existingRepos());
        String path = run.anyFile(repo);
        int k = run.rnd.nextInt(10);
        String method = k < 4 ? "GET" : k < 5 ? "HEAD" : k < 8 ? "DELETE" : "GET";
        String prefix = k < 8 ? "/repository/" : "/api/storage/";
        String url = prefix + repo + "/" + path + ";x=1";
        Expect e = invalid(c.who());
        if (e == null) {
            e = new Expect(400, "path_invalid", "matrix parameters on " + method + " (section 7)");
        }
        Http h = c.http(run.rnd);
        Http.Response r = switch (method) {
            case "HEAD" -> h.head(url);
            case "DELETE" -> h.delete(url);
            default -> h.get(url);
        };
        String family = (prefix.equals("/repository/") ? "content " : "storage ") + method + " ;x=1";
        run.judge(family, c, method + " " + url, r, e);
        afterwards(run, c, family, method + " " + url, repo, Set.of(), Set.of(path));
    }
}
