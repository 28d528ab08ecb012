package dev.coffer.security;

import static dev.coffer.security.MatrixRun.invalid;
import static dev.coffer.security.MatrixRun.refuse;

import dev.coffer.security.MatrixOracle.Who;
import dev.coffer.security.MatrixRun.Expect;
import dev.coffer.security.MatrixSetup.Cred;
import dev.coffer.security.MatrixWorld.FileState;
import dev.coffer.testing.Digests;
import dev.coffer.testing.Http;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** API.md §1 for every credential state: GET/HEAD of files and folders, PUT, DELETE of files, folders and roots. */
final class ContentProbes {
    private ContentProbes() {}

    static void getFile(MatrixRun run, Cred c) {
        String repo = run.anyRepo();
        String path = run.rnd.nextInt(4) == 0 ? run.missingFile(repo) : run.anyFile(repo);
        boolean head = run.rnd.nextInt(4) == 0;
        Expect e = fileRead(run, c.who(), repo, path);
        String url = "/repository/" + repo + "/" + path;
        Http.Response r = head ? c.http(run.rnd).head(url) : c.http(run.rnd).get(url);
        String req = (head ? "HEAD " : "GET ") + url;
        if (run.judge(head ? "content HEAD file" : "content GET file", c, req, r, e) && e.status() == 200) {
            String want = head ? "" : run.world.repos.get(repo).files.get(path).content;
            if (!r.body().equals(want)) {
                run.wrong("content GET file", "body", c, req, want, r.body());
            }
        }
    }

    /** A file path: r gives 200 or 404, no r a refusal whether it exists or not (§4 rule 3). */
    static Expect fileRead(MatrixRun run, Who w, String repo, String path) {
        Expect e = invalid(w);
        if (e != null) {
            return e;
        }
        if (!run.oracle.may(w, repo, path, 'r')) {
            return refuse(w, "no r on the path" + run.where(repo));
        }
        return run.oracle.isFile(repo, path)
                ? Expect.of(200, "r on the file")
                : Expect.of(404, "r on the path, nothing there");
    }

    /**
     * A folder: the root answers 200 to a caller with r somewhere in the repository; another folder
     * 200 when something below it is readable, else like a missing folder: 404 with r on the folder
     * path, a refusal without.
     */
    static Expect folderRead(MatrixRun run, Who w, String repo, String folder) {
        Expect e = invalid(w);
        if (e != null) {
            return e;
        }
        boolean repoExists = run.world.repos.containsKey(repo) && run.world.repos.get(repo).exists;
        if (folder.isEmpty()) {
            if (!run.oracle.somewhere(w, repo, 'r')) {
                return refuse(w, "root: no r anywhere in the repository" + run.where(repo));
            }
            return repoExists
                    ? Expect.of(200, "root: r somewhere in the repository")
                    : Expect.of(404, "root: r somewhere, no such repository");
        }
        if (!run.oracle.visibleChildren(w, repo, folder).isEmpty()) {
            return Expect.of(200, "folder with something readable below");
        }
        boolean empty = run.oracle.filesBelow(repo, folder).isEmpty();
        if (run.oracle.may(w, repo, folder, 'r')) {
            return Expect.of(
                    404,
                    empty
                            ? "r on the folder path, no such folder"
                            : "r on the folder path, nothing readable below (answers like a missing folder)");
        }
        return refuse(
                w,
                (empty ? "no r on the path of a missing folder" : "nothing readable below and no r on the folder path")
                        + run.where(repo));
    }

    /** A folder of the repository, the root, or one that does not exist. */
    static String anyFolder(MatrixRun run, String repo) {
        List<String> fs = run.folders(repo);
        int k = run.rnd.nextInt(10);
        if (k < 3) {
            return "";
        }
        if (k < 8 && !fs.isEmpty()) {
            return run.pick(fs);
        }
        return run.pick(MatrixWorld.TOP) + (run.rnd.nextBoolean() ? "/" + run.pick(MatrixWorld.MID) : "");
    }

    static void getFolder(MatrixRun run, Cred c) {
        String repo = run.anyRepo();
        String folder = anyFolder(run, repo);
        boolean html = run.rnd.nextInt(4) == 0;
        boolean slash = folder.isEmpty() || run.rnd.nextBoolean();
        String url = "/repository/" + repo + "/" + folder + (slash && !folder.isEmpty() ? "/" : "");
        Http h = c.http(run.rnd);
        if (html) {
            h = h.header("Accept", "text/html");
        }
        Expect e = folderRead(run, c.who(), repo, folder);
        String family = "content GET " + (folder.isEmpty() ? "root" : "folder") + (html ? " (HTML)" : " (JSON)");
        Http.Response r = h.get(url);
        String req = "GET " + url + (html ? " Accept: text/html" : "");
        if (run.judge(family, c, req, r, e) && e.status() == 200) {
            if (html) {
                checkHtml(run, c, family, req, r.body(), repo, folder);
            } else {
                checkChildren(run, c, family, req, r, repo, folder);
            }
        }
    }

    /** The children of a JSON listing (content or storage) are exactly the readable ones. */
    static void checkChildren(
            MatrixRun run, Cred c, String family, String req, Http.Response r, String repo, String folder) {
        Map<String, Boolean> want = run.oracle.visibleChildren(c.who(), repo, folder);
        Map<String, Boolean> got = new TreeMap<>();
        r.json()
                .path("children")
                .forEach(ch ->
                        got.put(ch.path("name").asText(), ch.path("folder").asBoolean()));
        if (!got.equals(want)) {
            run.wrong(
                    family,
                    "listing shows other children than the readable ones",
                    c,
                    req,
                    "children " + want + " (name=isFolder)",
                    "children " + got);
        }
    }

    private static void checkHtml(
            MatrixRun run, Cred c, String family, String req, String body, String repo, String folder) {
        Map<String, Boolean> want = run.oracle.visibleChildren(c.who(), repo, folder);
        for (String name : run.oracle.allChildren(repo, folder)) {
            boolean shown = body.contains("href=\"" + name + "\"") || body.contains("href=\"" + name + "/\"");
            if (shown != want.containsKey(name)) {
                run.wrong(
                        family,
                        "HTML listing shows other children than the readable ones",
                        c,
                        req,
                        name + (want.containsKey(name) ? " shown" : " hidden"),
                        name + (shown ? " shown" : " hidden"));
            }
        }
    }

    static boolean mavenMetadata(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        return name.equals("maven-metadata.xml")
                || name.startsWith("maven-metadata.xml.")
                        && List.of("sha1", "md5", "sha256", "sha512")
                                .contains(name.substring("maven-metadata.xml.".length()));
    }

    static void put(MatrixRun run, Cred c) {
        String repo = run.rnd.nextInt(12) == 0 ? run.world.ghost : run.pick(run.existingRepos());
        List<String> files = run.oracle.filesBelow(repo, "");
        List<String> meta = files.stream().filter(ContentProbes::mavenMetadata).toList();
        int mode = run.rnd.nextInt(10);
        String path;
        if (mode < 4 || files.isEmpty()) {
            String dir = run.missingFile(repo);
            path = dir.substring(0, dir.lastIndexOf('/') + 1) + run.world.fresh("n") + (mode == 0 ? ".txt" : ".jar");
        } else {
            path = mode < 6 && !meta.isEmpty() ? run.pick(meta) : run.pick(files);
        }
        boolean exists = run.oracle.isFile(repo, path);
        String content = run.world.fresh("put");
        int sum = run.rnd.nextInt(10);
        // a wrong checksum for a repository that does not exist: whether 409 or 404 comes first is
        // not decided by API.md, so that cell is not asked
        boolean wrongSum = sum < 3 && run.world.repos.containsKey(repo);
        String props = !exists && run.rnd.nextInt(5) == 0
                ? ";build.name=" + run.world.build + ";build.number=" + (1 + run.rnd.nextInt(2))
                : "";
        String url = "/repository/" + repo + "/" + path;
        Http h = c.http(run.rnd);
        if (sum < 5) {
            h = h.header("X-Checksum-Sha256", wrongSum ? "0".repeat(64) : Digests.sha256(content));
        }
        Who w = c.who();
        Expect e = invalid(w);
        if (e == null) {
            if (!run.oracle.may(w, repo, path, 'w')) {
                e = refuse(w, "no w on the path" + run.where(repo));
            } else if (wrongSum) {
                e = new Expect(409, "checksum_mismatch", "w and a wrong X-Checksum-Sha256 (checked before existence)");
            } else if (!run.world.repos.containsKey(repo)) {
                e = new Expect(404, "repository_not_found", "w, no such repository");
            } else if (exists && !mavenMetadata(path) && !run.oracle.may(w, repo, path, 'd')) {
                e = refuse(w, "overwrite needs w and d");
            } else if (exists) {
                e = Expect.of(200, mavenMetadata(path) ? "w replaces Maven metadata" : "overwrite with w and d");
            } else {
                e = Expect.of(201, "w on a new path");
            }
        }
        String family = "content PUT " + (wrongSum ? "wrong checksum" : exists ? "overwrite" : "new");
        String req = "PUT " + url + props
                + (sum < 5 ? (wrongSum ? " with a wrong" : " with the right") + " X-Checksum-Sha256" : "");
        run.judge(family, c, req, h.put(url + props, content), e);
        if (run.world.repos.containsKey(repo)) {
            FileState before = run.world.repos.get(repo).files.get(path);
            String want = e.status() / 100 == 2 ? content : before == null ? null : before.content;
            FileState now = MatrixSync.file(run, repo, path);
            String got = now == null ? null : now.content;
            if (!java.util.Objects.equals(want, got)) {
                run.wrong(family, "content afterwards", c, req, String.valueOf(want), String.valueOf(got));
            }
            // properties given at upload are stored with the new file (section 1: setting them needs w)
            if (e.status() == 201 && !props.isEmpty() && now != null && !props.equals(MatrixSetup.matrix(now.props))) {
                run.wrong(
                        family, "properties given as matrix parameters", c, req, props, MatrixSetup.matrix(now.props));
            }
        }
    }
}
