package dev.coffer.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.testing.Fixtures;
import dev.coffer.testing.Http;
import dev.coffer.testing.TestServer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The class behind issue 15, item 1: "an operation on many paths is decided on every path it
 * touches". For random file trees, permission targets (includes, excludes, with or without `d`)
 * and token scopes, a folder delete (the root included) either deletes exactly the subtree —
 * when an oracle computed here says `d` is allowed on the folder and every file below — or
 * answers 403 and changes nothing. The oracle is this file's own segment-glob matcher, not
 * dev.coffer.authz. Seeded: a failure names its trial and seed.
 */
class FolderDeleteWalkTest {
    private static final long SEED = 0x15_0001L;
    private static final int TRIALS = 32;

    private static final List<String> SEGMENTS = List.of("a", "b", "c", "lib", "x.key", "b.txt", "app.jar", "cc");
    private static final List<String> INCLUDES = List.of(
            "**",
            "a/**",
            "*/b/**",
            "**/*.jar",
            "a/*",
            "b/**",
            "**/x*",
            "*",
            "a/b",
            "**/b.txt",
            "c*/**",
            "?/**",
            "lib/*/**");
    private static final List<String> EXCLUDES =
            List.of("**/*.key", "a/b/**", "*/c", "**/b.txt", "c/**", "a", "**/lib/**", "?/?");

    private static TestServer server;
    private static Http admin;
    private static Http walkerPassword;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        admin = server.admin();
        Fixtures.user(server, "walker", "walker-pass");
        walkerPassword = new Http(server.base()).basic("walker", "walker-pass");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aFolderDeleteTakesTheWholeSubtreeOrNothing() {
        int deleted = 0;
        int refused = 0;
        int scoped = 0;
        int roots = 0;
        for (int trial = 0; trial < TRIALS; trial++) {
            long seed = SEED + trial;
            Random rnd = new Random(seed);
            String repo = "walk-" + trial;
            Fixtures.repo(server, repo, false);

            List<String> files = tree(rnd);
            for (String f : files) {
                Fixtures.put(admin, "/repository/" + repo + "/" + f, "content of " + f);
            }
            // a third of the trials broad (everything, perhaps one exclude), so that both outcomes are common
            boolean broad = rnd.nextInt(3) == 0;
            List<String> includes =
                    broad || rnd.nextInt(3) == 0 ? List.of("**") : pick(rnd, INCLUDES, 1 + rnd.nextInt(2));
            List<String> excludes = broad ? pick(rnd, EXCLUDES, rnd.nextInt(2)) : pick(rnd, EXCLUDES, rnd.nextInt(3));
            boolean hasDelete = broad || rnd.nextInt(6) > 0;
            List<String> actions = hasDelete ? List.of("r", "w", "d") : List.of("r", "w");
            Fixtures.permission(server, "walker-target", repo, includes, excludes, Map.of("walker", actions), Map.of());

            List<String> scope = rnd.nextBoolean()
                    ? List.of()
                    : broad && rnd.nextBoolean() ? List.of("**") : pick(rnd, INCLUDES, 1 + rnd.nextInt(2));
            Http caller = scope.isEmpty() ? walkerPassword : token(repo, scope);
            if (!scope.isEmpty()) {
                scoped++;
            }

            List<String> folders = new ArrayList<>(folders(files));
            // the root one time in four, else any folder that holds a file
            String folder =
                    folders.size() == 1 || rnd.nextInt(4) == 0 ? "" : folders.get(1 + rnd.nextInt(folders.size() - 1));
            if (folder.isEmpty()) {
                roots++;
            }
            Oracle oracle = new Oracle(hasDelete, includes, excludes, scope);
            List<String> below = files.stream()
                    .filter(f -> folder.isEmpty() || f.startsWith(folder + "/"))
                    .toList();
            boolean allowed = oracle.allows(folder) && below.stream().allMatch(oracle::allows);

            String what = "trial " + trial + " (seed " + seed + "): DELETE '" + folder + "' with includes " + includes
                    + ", excludes " + excludes + ", actions " + actions + ", scope " + scope + " over " + files;
            Http.Response r = caller.delete("/repository/" + repo + "/" + folder + (folder.isEmpty() ? "" : "/"));
            assertThat(r.status()).as(what + ": " + r).isEqualTo(allowed ? 204 : 403);
            if (allowed) {
                deleted++;
            } else {
                refused++;
            }
            for (String f : files) {
                Http.Response got = admin.get("/repository/" + repo + "/" + f);
                if (allowed && below.contains(f)) {
                    assertThat(got.status())
                            .as("%s: %s should be gone", what, f)
                            .isEqualTo(404);
                } else {
                    assertThat(got.status())
                            .as("%s: %s should be untouched", what, f)
                            .isEqualTo(200);
                    assertThat(got.body()).isEqualTo("content of " + f);
                }
            }
        }
        System.out.printf(
                "FolderDeleteWalkTest on %s: %d trials (%d deleted, %d refused; %d with a token scope, %d of the root)%n",
                backends(server), TRIALS, deleted, refused, scoped, roots);
        assertThat(deleted).as("trials where the delete was allowed").isPositive();
        assertThat(refused).as("trials where the delete was refused").isPositive();
    }

    /** Which metadata database and blob store the server runs on, for the report line. */
    static String backends(TestServer s) {
        return s.coffer().services().database().dialect() + (s.onFileStore() ? " + file store" : " + S3");
    }

    private static Http token(String repo, List<String> patterns) {
        StringBuilder scope = new StringBuilder();
        for (String p : patterns) {
            scope.append(scope.isEmpty() ? "" : " ")
                    .append("artifact:")
                    .append(repo)
                    .append('/')
                    .append(p)
                    .append(":d");
        }
        JsonNode token = Fixtures.token(walkerPassword, "scope=" + Fixtures.enc(scope.toString()));
        return new Http(server.base()).bearer(token.path("access_token").asText());
    }

    /** 2 to 9 files, 1 to 4 segments deep, never a file that is also a folder. */
    private static List<String> tree(Random rnd) {
        TreeSet<String> out = new TreeSet<>();
        int n = 2 + rnd.nextInt(8);
        for (int tries = 0; out.size() < n && tries < 100; tries++) {
            int depth = 1 + rnd.nextInt(4);
            List<String> segs = new ArrayList<>();
            for (int d = 0; d < depth; d++) {
                segs.add(SEGMENTS.get(rnd.nextInt(SEGMENTS.size())));
            }
            String p = String.join("/", segs);
            boolean clash = out.stream().anyMatch(o -> o.equals(p) || o.startsWith(p + "/") || p.startsWith(o + "/"));
            if (!clash) {
                out.add(p);
            }
        }
        return new ArrayList<>(out);
    }

    /** Every folder that holds a file, the root ("") included. */
    private static TreeSet<String> folders(List<String> files) {
        TreeSet<String> out = new TreeSet<>();
        out.add("");
        for (String f : files) {
            for (int i = f.indexOf('/'); i > 0; i = f.indexOf('/', i + 1)) {
                out.add(f.substring(0, i));
            }
        }
        return out;
    }

    private static List<String> pick(Random rnd, List<String> from, int n) {
        List<String> copy = new ArrayList<>(from);
        java.util.Collections.shuffle(copy, rnd);
        return new ArrayList<>(copy.subList(0, n));
    }

    /** What API.md §3 and §5 say about `d` on one path, with a matcher of its own. */
    record Oracle(boolean hasDelete, List<String> includes, List<String> excludes, List<String> scope) {
        boolean allows(String path) {
            List<String> segs = path.isEmpty() ? List.of() : Arrays.asList(path.split("/"));
            boolean owner = hasDelete
                    && excludes.stream().noneMatch(e -> Glob.matches(e, segs))
                    && includes.stream().anyMatch(i -> Glob.matches(i, segs));
            boolean inScope = scope.isEmpty() || scope.stream().anyMatch(s -> Glob.matches(s, segs));
            return owner && inScope;
        }
    }

    /** `**` (a whole segment) any number of segments, zero included; `*` any run within a segment; `?` one character. */
    static final class Glob {
        private static final Map<String, Pattern> SEGMENT_CACHE = new LinkedHashMap<>();

        static boolean matches(String pattern, List<String> path) {
            return match(Arrays.asList(pattern.split("/")), 0, path, 0);
        }

        private static boolean match(List<String> pat, int pi, List<String> path, int si) {
            if (pi == pat.size()) {
                return si == path.size();
            }
            if (pat.get(pi).equals("**")) {
                for (int skip = si; skip <= path.size(); skip++) {
                    if (match(pat, pi + 1, path, skip)) {
                        return true;
                    }
                }
                return false;
            }
            return si < path.size()
                    && segment(pat.get(pi)).matcher(path.get(si)).matches()
                    && match(pat, pi + 1, path, si + 1);
        }

        private static synchronized Pattern segment(String glob) {
            return SEGMENT_CACHE.computeIfAbsent(glob, g -> {
                StringBuilder re = new StringBuilder();
                for (char c : g.toCharArray()) {
                    re.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
                }
                return Pattern.compile(re.toString(), Pattern.DOTALL);
            });
        }
    }
}
