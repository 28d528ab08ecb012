package dev.coffer.http;

import static dev.coffer.http.NpmAccountRoutesTest.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.testing.NpmTool;
import dev.coffer.testing.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real npm CLI (npm 11 at /usr/bin/npm) logs in, asks who it is, manages its tokens and logs
 * out against an in-process Coffer, with a temporary user config and cache (never ~/.npmrc).
 * npm reads its prompts from standard input when that is not a terminal, one line each.
 */
class NpmCliLoginTest {
    /** Coffer's own sentences, as npm prints them (no challenge for npm, see docs/npm.md). */
    private static final String STALE_SENTENCE = "unknown, expired or revoked";

    private static final String LOGIN_SENTENCE = "Coffer accounts are created by an administrator";

    private static final Path NPM = NpmTool.NPM;
    private static TestServer server;
    private static Path home;
    private static String registry;

    /** Each reader of a pipe on a thread of its own (the common pool may have one thread: a full pipe would block npm). */
    private static final java.util.concurrent.Executor OWN_THREAD = r -> {
        Thread t = new Thread(r, "npm-cli-pipe");
        t.setDaemon(true);
        t.start();
    };

    record Run(int exit, String out, String err) {}

    @BeforeAll
    static void start() throws IOException {
        NpmTool.require();
        server = TestServer.start();
        home = Files.createTempDirectory("coffer-npm-cli");
        Files.writeString(home.resolve("npmrc"), "");
        registry = server.base() + "/api/npm/npm-local/";
    }

    @AfterAll
    static void stop() throws IOException {
        if (server != null) {
            server.close();
        }
        if (home != null) {
            try (Stream<Path> all = Files.walk(home)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** npm with no prompt to answer. */
    private static Run npm(String... args) throws Exception {
        return npm(List.of(), args);
    }

    /**
     * npm whose prompts are answered in order: each answer is written once its prompt has been
     * printed (npm reads each prompt with a new reader, which would swallow answers sent ahead).
     */
    private static Run npm(List<String[]> dialogue, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(NPM.toString()));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of(
                "--registry",
                registry,
                "--userconfig",
                home.resolve("npmrc").toString(),
                "--cache",
                home.resolve("cache").toString(),
                "--no-update-notifier",
                "--no-audit",
                "--no-fund",
                "--color=false"));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(home.toFile());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.toLowerCase(java.util.Locale.ROOT).startsWith("npm_config_"));
        env.put("HOME", home.toString());
        env.put("NO_PROXY", "127.0.0.1");
        Process p = pb.start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> converse(p, dialogue), OWN_THREAD);
        CompletableFuture<String> err = drain(p.getErrorStream());
        if (dialogue.isEmpty()) {
            p.getOutputStream().close();
        }
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("npm " + String.join(" ", args) + " did not finish: " + err.getNow(""));
        }
        return new Run(p.exitValue(), out.get(), err.get());
    }

    /** Reads npm's standard output, answering each prompt of the dialogue when it appears. */
    private static String converse(Process p, List<String[]> dialogue) {
        StringBuilder seen = new StringBuilder();
        int next = 0;
        int from = 0;
        try (InputStream in = p.getInputStream();
                OutputStream answers = p.getOutputStream()) {
            int c;
            while ((c = in.read()) >= 0) {
                seen.append((char) c);
                if (next < dialogue.size() && seen.indexOf(dialogue.get(next)[0], from) >= 0) {
                    from = seen.length();
                    answers.write((dialogue.get(next)[1] + "\n").getBytes(StandardCharsets.UTF_8));
                    answers.flush();
                    next++;
                }
            }
        } catch (IOException e) {
            // npm exited: what it printed says why
        }
        return seen.toString();
    }

    private static CompletableFuture<String> drain(InputStream s) {
        return CompletableFuture.supplyAsync(
                () -> {
                    try (s) {
                        return new String(s.readAllBytes(), StandardCharsets.UTF_8);
                    } catch (IOException e) {
                        return "";
                    }
                },
                OWN_THREAD);
    }

    private static List<String[]> answers(String... promptsAndAnswers) {
        List<String[]> d = new ArrayList<>();
        for (int i = 0; i < promptsAndAnswers.length; i += 2) {
            d.add(new String[] {promptsAndAnswers[i], promptsAndAnswers[i + 1]});
        }
        return d;
    }

    private static Run ok(Run r, String what) {
        assertThat(r.exit()).as(what + ": " + r).isZero();
        return r;
    }

    @Test
    void loginWhoamiTokensAndLogoutWithTheRealCli() throws Exception {
        String user = NpmAccountRoutesTest.user(server, "npmcli");
        Run login = ok(npm(answers("Username:", user, "Password:", PASSWORD), "login"), "npm login");
        assertThat(login.out()).contains("Logged in on " + registry);
        String npmrc = Files.readString(home.resolve("npmrc"));
        Matcher saved = Pattern.compile(":_authToken=(cofak_\\w+)").matcher(npmrc);
        assertThat(saved.find()).as(npmrc).isTrue();
        String loginKey = saved.group(1);

        assertThat(ok(npm("whoami"), "npm whoami").out().trim()).isEqualTo(user);

        Run list = ok(npm("token", "list", "--parseable"), "npm token list");
        assertThat(list.out()).contains("npm login").doesNotContain(loginKey);

        Run created = ok(npm(answers("password:", PASSWORD), "token", "create"), "npm token create");
        Matcher made = Pattern.compile("(cofak_\\w+)").matcher(created.out());
        assertThat(made.find()).as(created.toString()).isTrue();
        String second = made.group(1);
        assertThat(server.anonymous().bearer(second).get("/api/me").status()).isEqualTo(200);

        Run wrong = npm(answers("password:", "not-the-password"), "token", "create");
        assertThat(wrong.exit()).as(wrong.toString()).isNotZero();
        assertThat(wrong.err()).contains("E401").doesNotContain("Incorrect or missing password");

        // revoke the second by the id npm shows for it (a prefix of its key)
        String secondId =
                server.anonymous().bearer(second).get("/api/access-keys").json().findValuesAsText("id").stream()
                        .filter(id -> !list.out().contains(id))
                        .findFirst()
                        .orElseThrow();
        Run revoked = ok(npm("token", "revoke", secondId.substring(0, 8)), "npm token revoke");
        assertThat(revoked.out()).contains("Removed 1 token");
        assertThat(server.anonymous().bearer(second).get("/api/me").status()).isEqualTo(401);

        ok(npm("logout"), "npm logout");
        Path npmrcAfter = home.resolve("npmrc");
        assertThat(Files.exists(npmrcAfter) ? Files.readString(npmrcAfter) : "").doesNotContain(loginKey);
        assertThat(server.anonymous().bearer(loginKey).get("/api/me").status()).isEqualTo(401);
        Run after = npm("whoami");
        assertThat(after.exit()).isNotZero();
        assertThat(after.err()).contains("ENEEDAUTH");

        // the revoked key itself, given back to npm: Coffer refuses it at once
        Run stale = npm("whoami", "--//" + registry.substring("http://".length()) + ":_authToken=" + loginKey);
        assertThat(stale.exit()).as(stale.toString()).isNotZero();
        assertThat(stale.err()).contains("E401");
        // no challenge for npm itself (it would print its own text instead): Coffer's sentence
        assertThat(stale.err()).contains("401 Unauthorized").doesNotContain("Incorrect or missing password");
        assertThat(stale.err()).containsPattern(STALE_SENTENCE);
    }

    @Test
    void aWrongPasswordEndsNpmLoginWithoutAKey() throws Exception {
        String user = NpmAccountRoutesTest.user(server, "npmcli-wrong");
        Run login = npm(answers("Username:", user, "Password:", "not-the-password"), "login");
        assertThat(login.exit()).as(login.toString()).isNotZero();
        assertThat(login.err()).contains("E401");
        assertThat(login.err()).contains("401 Unauthorized").doesNotContain("Incorrect or missing password");
        assertThat(login.err()).containsPattern(LOGIN_SENTENCE);
        assertThat(server.anonymous()
                        .basic(user, PASSWORD)
                        .get("/api/access-keys")
                        .json())
                .isEmpty();
        // npm adduser creates nobody: an unknown name is refused like a wrong password
        Run adduser = npm(
                answers("Username:", "npmcli-newcomer", "Password:", PASSWORD, "public):", "new@example.org"),
                "adduser");
        assertThat(adduser.exit()).as(adduser.toString()).isNotZero();
        assertThat(adduser.err()).contains("E401");
        assertThat(server.admin().get("/api/users/npmcli-newcomer").status()).isEqualTo(404);
    }
}
