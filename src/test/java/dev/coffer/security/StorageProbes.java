package dev.coffer.security;

import static dev.coffer.security.MatrixRun.invalid;
import static dev.coffer.security.MatrixRun.refuse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.security.MatrixOracle.Who;
import dev.coffer.security.MatrixRun.Expect;
import dev.coffer.security.MatrixSetup.Cred;
import dev.coffer.security.MatrixWorld.FileState;
import dev.coffer.security.MatrixWorld.Repo;
import dev.coffer.testing.Digests;
import dev.coffer.testing.Fixtures;
import dev.coffer.testing.Http;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/** API.md §2: storage info (files, folders with their children), properties, and the per-build artifact list. */
final class StorageProbes {
    private StorageProbes() {}

    static void get(MatrixRun run, Cred c) {
        String repo = run.anyRepo();
        int k = run.rnd.nextInt(20);
        if (k < 13) {
            String path = k < 10 ? run.anyFile(repo) : run.missingFile(repo);
            String url = "/api/storage/" + repo + "/" + path;
            Expect e = ContentProbes.fileRead(run, c.who(), repo, path);
            Http.Response r = c.http(run.rnd).get(url);
            if (run.judge("storage GET file", c, "GET " + url, r, e) && e.status() == 200) {
                FileState f = run.world.repos.get(repo).files.get(path);
                JsonNode j = r.json();
                String want = repo + " " + path + " false " + f.content.length() + " " + Digests.sha256(f.content) + " "
                        + f.props;
                String got = j.path("repo").asText() + " " + j.path("path").asText() + " "
                        + j.path("folder").asBoolean()
                        + " " + j.path("size").asLong() + " "
                        + j.path("checksums").path("sha256").asText() + " "
                        + MatrixSync.props(j.path("properties"));
                if (!want.equals(got)) {
                    run.wrong(
                            "storage GET file",
                            "file info (repo path folder size sha256 properties)",
                            c,
                            "GET " + url,
                            want,
                            got);
                }
            }
            return;
        }
        String folder = ContentProbes.anyFolder(run, repo);
        String url = "/api/storage/" + repo
                + (folder.isEmpty()
                        ? (run.rnd.nextBoolean() ? "/" : "")
                        : "/" + folder + (run.rnd.nextBoolean() ? "/" : ""));
        Expect e = ContentProbes.folderRead(run, c.who(), repo, folder);
        String family = "storage GET " + (folder.isEmpty() ? "root" : "folder");
        Http.Response r = c.http(run.rnd).get(url);
        if (run.judge(family, c, "GET " + url, r, e) && e.status() == 200) {
            ContentProbes.checkChildren(run, c, family, "GET " + url, r, repo, folder);
        }
    }

    /** Setting or deleting properties needs a (§2); a missing file is 404 only for a caller with a. */
    private static Expect annotate(MatrixRun run, Who w, String repo, String path) {
        Expect e = invalid(w);
        if (e != null) {
            return e;
        }
        if (!run.oracle.may(w, repo, path, 'a')) {
            return refuse(w, "no a on the path" + run.where(repo));
        }
        if (!run.world.repos.containsKey(repo)) {
            return Expect.of(404, "a, no such repository");
        }
        return run.oracle.isFile(repo, path) ? Expect.of(204, "a on the file") : Expect.of(404, "a, no such file");
    }

    static void putProperty(MatrixRun run, Cred c) {
        String repo = run.anyRepo();
        String path = run.rnd.nextInt(4) == 0 ? run.missingFile(repo) : run.anyFile(repo);
        String key = run.world.fresh("k");
        String url = "/api/storage/" + repo + "/" + path + "?properties=" + key + "=v";
        Expect e = annotate(run, c.who(), repo, path);
        run.judge("storage PUT properties", c, "PUT " + url, c.http(run.rnd).put(url, ""), e);
        propertyAfterwards(run, c, "storage PUT properties", "PUT " + url, repo, path, key, e.status() == 204);
    }

    static void deleteProperty(MatrixRun run, Cred c) {
        String repo = run.pick(run.existingRepos());
        String path = run.anyFile(repo);
        Repo r = run.world.repos.get(repo);
        String key;
        if (r.files.containsKey(path)) {
            FileState f = r.files.get(path);
            if (f.props.isEmpty()) {
                key = run.world.fresh("k");
                Fixtures.expect(
                        run.admin.put("/api/storage/" + repo + "/" + path + "?properties=" + key + "=v", ""),
                        "admin sets a property",
                        204);
                f.props.put(key, List.of("v"));
            } else {
                key = run.pick(List.copyOf(f.props.keySet()));
            }
        } else {
            key = "nothing";
        }
        String url = "/api/storage/" + repo + "/" + path + "?properties=" + key;
        Expect e = annotate(run, c.who(), repo, path);
        run.judge(
                "storage DELETE properties", c, "DELETE " + url, c.http(run.rnd).delete(url), e);
        propertyAfterwards(run, c, "storage DELETE properties", "DELETE " + url, repo, path, key, e.status() != 204);
    }

    private static void propertyAfterwards(
            MatrixRun run, Cred c, String family, String req, String repo, String path, String key, boolean expectSet) {
        if (!run.world.repos.containsKey(repo)
                || !run.world.repos.get(repo).files.containsKey(path)) {
            return;
        }
        FileState before = run.world.repos.get(repo).files.get(path);
        boolean wasSet = before.props.containsKey(key);
        FileState now = MatrixSync.file(run, repo, path);
        boolean set = now != null && now.props.containsKey(key);
        boolean want = family.contains("PUT") ? expectSet : expectSet && wasSet;
        if (set != want) {
            run.wrong(
                    family,
                    "property afterwards",
                    c,
                    req,
                    key + (want ? " set" : " not set"),
                    key + (set ? " set" : " not set"));
        }
    }

    /** Only files the caller may read are listed (§2), with or without credentials. */
    static void builds(MatrixRun run, Cred c) {
        String number = String.valueOf(1 + run.rnd.nextInt(3));
        String url = "/api/builds/" + run.world.build + "/" + number + "/artifacts";
        Expect e = invalid(c.who());
        if (e == null) {
            e = Expect.of(200, "anyone may ask; only readable files are listed");
        }
        Http.Response r = c.http(run.rnd).get(url);
        if (run.judge("builds GET artifacts", c, "GET " + url, r, e) && e.status() == 200) {
            TreeSet<String> want = new TreeSet<>();
            for (Repo repo : run.world.repos.values()) {
                if (!repo.exists) {
                    continue;
                }
                repo.files.forEach((p, f) -> {
                    if (Objects.equals(f.props.get("build.name"), List.of(run.world.build))
                            && Objects.equals(f.props.get("build.number"), List.of(number))
                            && run.oracle.may(c.who(), repo.name, p, 'r')) {
                        want.add(repo.name + "/" + p + " " + Digests.sha256(f.content));
                    }
                });
            }
            TreeSet<String> got = new TreeSet<>();
            r.json()
                    .forEach(a -> got.add(a.path("repo").asText() + "/"
                            + a.path("path").asText() + " " + a.path("sha256").asText()));
            if (!want.equals(got)) {
                run.wrong(
                        "builds GET artifacts",
                        "listed files (repo/path sha256)",
                        c,
                        "GET " + url,
                        want.toString(),
                        got.toString());
            }
        }
    }
}
