package dev.coffer.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.testing.Fixtures;
import dev.coffer.testing.Folders;
import dev.coffer.testing.Http;
import dev.coffer.testing.NpmPublishes;
import dev.coffer.testing.TestServer;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web UI in a real browser (Debian's headless Chromium through Selenium): a user logs in,
 * generates a personal access key, uses it with an HTTP client against a private artifact, sees
 * "last used" appear, revokes it and the client gets 401; an administrator makes a repository
 * public and an anonymous browser then reads from it. Screenshots go to target/screenshots/.
 */
class WebUiTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SHOTS = Path.of("target/screenshots");

    private static TestServer server;
    private static Path profile;
    private static ChromeDriverService service;
    private static ChromeDriver driver;
    private static WebDriverWait wait;
    /** Why the browser tests cannot run here, or null. */
    private static String missing;

    @BeforeAll
    static void start() throws IOException {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!present) {
            String why = "WebUiTest needs Debian's chromium and chromium-driver (" + CHROMIUM + ", " + CHROMEDRIVER
                    + "): apt-get install -y chromium chromium-driver (.ci/run does this)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException(why);
            }
            // each test is then counted as skipped with this reason (an abort here counted none)
            missing = why;
            return;
        }
        server = TestServer.start();
        Files.createDirectories(SHOTS);
        profile = Files.createTempDirectory("coffer-chromium");
        // never let Selenium Manager look for (or download) a driver or browser
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .withEnvironment(Map.of("SE_OFFLINE", "true"))
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--window-size=1280,900",
                "--user-data-dir=" + profile);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        driver = new ChromeDriver(service, options);
        wait = new WebDriverWait(driver, Duration.ofSeconds(15));
    }

    @BeforeEach
    void needsChromium() {
        Assumptions.assumeTrue(missing == null, () -> missing);
    }

    @AfterAll
    static void stop() throws IOException {
        if (driver != null) {
            driver.quit();
        }
        if (service != null) {
            service.stop();
        }
        if (server != null) {
            server.close();
        }
        Folders.delete(profile);
    }

    @Test
    void theWholeStory() throws Exception {
        Http admin = server.admin();
        put(admin.putJson("/api/repositories/libs", "{\"description\":\"release builds\"}"));
        put(admin.putJson("/api/repositories/oss", "{\"description\":\"open source builds\"}"));
        put(admin.putJson("/api/users/alice", "{\"password\":\"alice-password\",\"email\":\"alice@example.org\"}"));
        put(admin.putJson("/api/groups/devs", "{\"description\":\"developers\",\"members\":[\"alice\"]}"));
        put(
                admin.putJson(
                        "/api/permissions/libs-read",
                        "{\"repositories\":[\"libs\"],\"includePatterns\":[\"**\"],"
                                + "\"excludePatterns\":[\"internal/**\"],\"users\":{\"alice\":[\"r\",\"w\"]},\"groups\":{\"devs\":[\"r\"]}}"));
        put(admin.put("/repository/libs/com/acme/app/1.0/app-1.0.jar;build.name=app;build.number=42", "jar bytes"));
        put(admin.put("/repository/libs/other/readme.txt", "outside the token's path"));
        put(admin.put("/repository/oss/hello.txt", "hello from a public repository"));
        String artifact = "/repository/libs/com/acme/app/1.0/app-1.0.jar";
        assertThat(server.anonymous().get(artifact).status()).as("private").isEqualTo(401);
        assertThat(server.anonymous().get("/repository/oss/hello.txt").status()).isEqualTo(401);

        // log in: a wrong password first, then the right one
        driver.get(server.base() + "/");
        WebElement user = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-username")));
        shot("login");
        user.sendKeys("alice");
        driver.findElement(By.id("login-password")).sendKeys("wrong");
        driver.findElement(By.id("login-submit")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(
                By.id("login-error"), "Wrong user name or password"));
        driver.findElement(By.id("login-password")).clear();
        driver.findElement(By.id("login-password")).sendKeys("alice-password");
        driver.findElement(By.id("login-submit")).click();
        wait.until(ExpectedConditions.textToBe(By.id("who-name"), "alice"));
        assertThat(js("return Object.keys(sessionStorage).length")).isEqualTo(1L);
        assertThat(driver.manage().getCookies()).isEmpty();

        // generate a key; it is shown once
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("key-description")))
                .sendKeys("laptop maven");
        driver.findElement(By.id("key-generate")).click();
        WebElement keyField = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("new-key-value")));
        String key = keyField.getDomProperty("value");
        assertThat(key).isNotBlank();
        assertThat(driver.findElement(By.id("new-key-value-panel")).getText()).contains("only time");
        shot("access-keys");

        // the key works for a private artifact
        Http withKey = server.anonymous().header("X-Auth-AccessKey", key);
        Http.Response got = withKey.get(artifact);
        assertThat(got.status()).isEqualTo(200);
        assertThat(got.body()).isEqualTo("jar bytes");

        // "last used" appears (last use is written in batches every ~2 s)
        By row = By.cssSelector("#keys-table tbody tr");
        long deadline = System.currentTimeMillis() + 20_000;
        while (true) {
            driver.findElement(By.id("keys-refresh")).click();
            Thread.sleep(500);
            String lastUsed = driver.findElement(row)
                    .findElement(By.className("last-used"))
                    .getText();
            if (!lastUsed.equals("never")) {
                assertThat(driver.findElement(row)
                                .findElement(By.className("last-used-ip"))
                                .getText())
                        .isEqualTo("127.0.0.1");
                break;
            }
            assertThat(System.currentTimeMillis()).as("last used shown in time").isLessThan(deadline);
            Thread.sleep(1000);
        }
        assertThat(driver.findElement(row).getText()).contains("laptop maven");
        shot("access-keys-last-used");

        // revoke it, confirming in the dialog; the client gets 401 from then on
        driver.findElement(row).findElement(By.className("revoke")).click();
        WebElement dialog = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm-dialog")));
        assertThat(dialog.getText()).contains("stops working at once");
        driver.findElement(By.id("confirm-ok")).click();
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("keys-table")));
        assertThat(withKey.get(artifact).status()).isEqualTo(401);

        // the scope builder shows the scope string as it is built
        driver.get(server.base() + "/ui/#/tokens");
        new Select(wait.until(ExpectedConditions.elementToBeClickable(By.id("token-repo")))).selectByValue("libs");
        WebElement path = driver.findElement(By.id("token-path"));
        path.clear();
        path.sendKeys("com/acme/**");
        driver.findElement(By.cssSelector("label[for=token-action-w]")).click();
        assertThat(driver.findElement(By.id("token-scope")).getText()).isEqualTo("artifact:libs/com/acme/**:r,w");
        driver.findElement(By.id("token-description")).sendKeys("CI deploys of app");
        js("window.scrollTo(0, 0)");
        shot("token-builder");
        driver.findElement(By.id("token-create")).click();
        String token = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("new-token-value")))
                .getDomProperty("value");
        assertThat(driver.findElement(By.id("new-token")).getText()).doesNotContain("null");
        shot("access-tokens");
        assertThat(server.anonymous().bearer(token).get(artifact).status()).isEqualTo(200);
        assertThat(server.anonymous()
                        .bearer(token)
                        .get("/repository/libs/other/readme.txt")
                        .status())
                .as("outside com/acme")
                .isEqualTo(403);

        // the repository browser: folders down to the file, with checksums, properties and snippets
        driver.get(server.base() + "/ui/#/browse");
        wait.until(ExpectedConditions.elementToBeClickable(By.linkText("libs"))).click();
        for (String folder : List.of("com/", "acme/", "app/", "1.0/")) {
            wait.until(ExpectedConditions.elementToBeClickable(By.linkText(folder)))
                    .click();
        }
        wait.until(ExpectedConditions.elementToBeClickable(By.linkText("app-1.0.jar")))
                .click();
        WebElement sha = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("file-sha256")));
        assertThat(sha.getText()).hasSize(64);
        String page = driver.findElement(By.id("main")).getText();
        assertThat(page).contains("build.number", "42", "<artifactId>app</artifactId>", "curl -fSL");
        shot("repository-browser");

        // a narrow screen: no horizontal scrolling of the page itself
        driver.manage().window().setSize(new Dimension(390, 844));
        Thread.sleep(300);
        assertThat((Long) js("return document.documentElement.scrollWidth")).isLessThanOrEqualTo(390L + 1);
        shot("repository-browser-narrow");
        driver.manage().window().setSize(new Dimension(1280, 900));

        // log out (the session token ends), log in as the administrator
        String sessionToken = (String) js("return JSON.parse(sessionStorage.getItem('coffer.session')).token");
        driver.findElement(By.id("logout")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-username")))
                .sendKeys("admin");
        assertThat(js("return sessionStorage.length")).isEqualTo(0L);
        assertThat(server.anonymous()
                        .header("X-Auth-Token", sessionToken)
                        .header("X-Auth-UserId", "2")
                        .get("/api/me")
                        .status())
                .isEqualTo(401);
        driver.findElement(By.id("login-password")).sendKeys(TestServer.ADMIN_PASSWORD);
        driver.findElement(By.id("login-submit")).click();
        wait.until(ExpectedConditions.textToBe(By.id("who-name"), "admin"));

        // permission targets
        driver.get(server.base() + "/ui/#/admin/permissions");
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("button[aria-label='Edit libs-read']")))
                .click();
        assertThat(driver.findElement(By.id("perm-repos")).getDomProperty("value"))
                .isEqualTo("libs");
        assertThat(driver.findElements(By.cssSelector("#perm-grants tbody tr"))).hasSize(2);
        shot("admin-permissions");

        // make 'oss' public, after an explicit warning
        driver.get(server.base() + "/ui/#/admin/repositories");
        wait.until(ExpectedConditions.elementToBeClickable(By.id("toggle-public-oss")))
                .click();
        dialog = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm-dialog")));
        assertThat(dialog.getText()).contains("without any credentials", "download every file");
        shot("admin-make-public");
        driver.findElement(By.id("confirm-ok")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("tr[data-repo=oss]"), "public"));
        shot("admin-repositories");

        // the users page and the audit page render (the audit API may not exist yet)
        driver.get(server.base() + "/ui/#/admin/users");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("users-table"), "alice"));
        // the audit log and the access check: rendered, or a clear message while the server lacks those routes
        driver.get(server.base() + "/ui/#/admin/audit");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("audit-form")));
        wait.until(ExpectedConditions.or(
                ExpectedConditions.presenceOfElementLocated(By.id("audit-table")),
                ExpectedConditions.textToBePresentInElementLocated(By.id("audit-results"), "No events"),
                ExpectedConditions.textToBePresentInElementLocated(
                        By.id("page-message"), "not available on this server")));
        driver.get(server.base() + "/ui/#/admin/access");
        new Select(wait.until(ExpectedConditions.elementToBeClickable(By.id("check-repo")))).selectByValue("libs");
        driver.findElement(By.id("check-path")).sendKeys("com/acme/app/1.0/app-1.0.jar");
        driver.findElement(By.id("check-username")).sendKeys("alice");
        driver.findElement(By.cssSelector("#check-form button[type=submit]")).click();
        wait.until(ExpectedConditions.or(
                ExpectedConditions.textToBePresentInElementLocated(By.id("check-result"), "allowed"),
                ExpectedConditions.textToBePresentInElementLocated(
                        By.id("page-message"), "not available on this server")));

        // an anonymous browser: a fresh tab state with no session, reads the public repository
        driver.findElement(By.id("logout")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-username")));
        js("sessionStorage.clear()");
        driver.get(server.base() + "/ui/#/browse");
        wait.until(ExpectedConditions.elementToBeClickable(By.linkText("oss")));
        assertThat(driver.findElements(By.linkText("libs")))
                .as("private stays hidden")
                .isEmpty();
        Object privateStatus = ((JavascriptExecutor) driver)
                .executeAsyncScript(
                        "const done = arguments[arguments.length - 1]; fetch(arguments[0], {credentials: 'omit'}).then(r => done(r.status), e => done(String(e)));",
                        artifact);
        assertThat(privateStatus).as("the private repository stays private").isEqualTo(401L);
        driver.get(server.base() + "/repository/oss/hello.txt");
        assertThat(driver.findElement(By.tagName("body")).getText()).isEqualTo("hello from a public repository");

        // the pages never broke their own Content-Security-Policy
        List<LogEntry> violations = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getMessage().contains("Content Security Policy"))
                .toList();
        assertThat(violations).isEmpty();
    }

    /** An administrator creates a group, a user in it and a permission target in the UI, then disables the user. */
    @Test
    void adminManagesGroupsUsersAndPermissionTargets() {
        put(server.admin().putJson("/api/repositories/qa-repo", "{}"));
        put(server.admin().put("/repository/qa-repo/report.txt", "qa report"));
        driver.get(server.base() + "/ui/");
        js("sessionStorage.clear(); location.reload()");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-username")))
                .sendKeys("admin");
        driver.findElement(By.id("login-password")).sendKeys(TestServer.ADMIN_PASSWORD);
        driver.findElement(By.id("login-submit")).click();
        wait.until(ExpectedConditions.textToBe(By.id("who-name"), "admin"));

        driver.get(server.base() + "/ui/#/admin/groups");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("group-name")))
                .sendKeys("qa");
        driver.findElement(By.id("group-description")).sendKeys("quality <b>assurance</b>");
        driver.findElement(By.cssSelector("#group-form button[type=submit]")).click();
        wait.until(
                ExpectedConditions.textToBePresentInElementLocated(By.id("groups-table"), "quality <b>assurance</b>"));

        driver.get(server.base() + "/ui/#/admin/users");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("user-name")))
                .sendKeys("carol");
        driver.findElement(By.id("user-password")).sendKeys("carol-password");
        driver.findElement(By.id("user-groups")).sendKeys("qa");
        driver.findElement(By.cssSelector("#user-form button[type=submit]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("users-table"), "carol"));
        Http carol = server.anonymous().basic("carol", "carol-password");
        assertThat(carol.get("/repository/qa-repo/report.txt").status())
                .as("no rights yet")
                .isEqualTo(403);

        driver.get(server.base() + "/ui/#/admin/permissions");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("perm-name")))
                .sendKeys("qa-read");
        driver.findElement(By.id("perm-repos")).sendKeys("qa-repo");
        driver.findElement(By.id("perm-add-group")).click();
        WebElement grant = driver.findElement(By.cssSelector("#perm-grants tbody tr"));
        grant.findElement(By.className("grant-name")).sendKeys("qa");
        grant.findElement(By.cssSelector("input[value=r]")).click();
        driver.findElement(By.id("perm-save")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("perms-table"), "qa-read"));
        assertThat(carol.get("/repository/qa-repo/report.txt").body()).isEqualTo("qa report");

        driver.get(server.base() + "/ui/#/admin/users");
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("button[aria-label='Disable carol']")))
                .click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm-ok")))
                .click();
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("button[aria-label='Enable carol']")));
        assertThat(carol.get("/repository/qa-repo/report.txt").status())
                .as("disabled")
                .isEqualTo(401);
        driver.findElement(By.id("logout")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-username")));
    }

    /** A lockout (429 + Retry-After) and a session ended elsewhere both get a clear message. */
    @Test
    void lockoutAndEndedSessionsAreExplained() {
        try (TestServer other = TestServer.start(Map.of("lockout", "2"))) {
            put(other.admin().putJson("/api/users/bob", "{\"password\":\"bob-password\"}"));
            driver.get(other.base() + "/ui/");
            WebElement pass = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-password")));
            driver.findElement(By.id("login-username")).sendKeys("bob");
            pass.sendKeys("bob-password");
            driver.findElement(By.id("login-submit")).click();
            wait.until(ExpectedConditions.textToBe(By.id("who-name"), "bob"));

            // the session ends elsewhere (here: revoked with the token read from this tab)
            String token = (String) js("return JSON.parse(sessionStorage.getItem('coffer.session')).token");
            assertThat(other.admin().delete("/api/tokens/" + token).status()).isEqualTo(204);
            driver.findElement(By.id("keys-refresh")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(
                    By.id("page-message"), "Your session has ended"));
            assertThat(js("return sessionStorage.length")).isEqualTo(0L);

            // wrong passwords until password login locks
            for (int i = 0; i < 3; i++) {
                wait.until(ExpectedConditions.elementToBeClickable(By.id("login-submit")));
                WebElement p = wait.until(ExpectedConditions.elementToBeClickable(By.id("login-password")));
                p.clear();
                p.sendKeys("wrong-" + i);
                driver.findElement(By.id("login-username")).clear();
                driver.findElement(By.id("login-username")).sendKeys("bob");
                driver.findElement(By.id("login-submit")).click();
                wait.until(ExpectedConditions.textToBePresentInElementLocated(
                        By.id("login-error"), i < 2 ? "Wrong" : "locked"));
            }
            assertThat(driver.findElement(By.id("login-error")).getText())
                    .contains("Try again in", "keys and tokens keep working");
            assertThat(driver.findElement(By.id("login-error")).getAttribute("role"))
                    .isEqualTo("alert");
        }
    }

    /**
     * Issue 18 in the administration pages: an administrator creates a remote repository (its
     * upstream password typed once, never shown again) and a virtual one over it, sees what each
     * is, and sees and purges the remote's cache.
     */
    @Test
    void remoteAndVirtualRepositoriesAreAdministeredInThePages() throws Exception {
        String secret = "upstream-secret-" + System.nanoTime();
        try (TestServer upstream = TestServer.start()) {
            put(upstream.admin().putJson("/api/repositories/up", "{\"anonymousRead\":true}"));
            put(upstream.admin().put("/repository/up/docs/a.txt", "from upstream"));
            // the upstream checks the remote's credentials (wrong ones fail even on a public repository)
            put(upstream.admin().putJson("/api/users/reader", "{\"password\":\"" + secret + "\"}"));
            try (TestServer local = TestServer.start()) {
                driver.get(local.base() + "/");
                wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-username")))
                        .sendKeys("admin");
                driver.findElement(By.id("login-password")).sendKeys(TestServer.ADMIN_PASSWORD);
                driver.findElement(By.id("login-submit")).click();
                wait.until(ExpectedConditions.textToBe(By.id("who-name"), "admin"));
                driver.get(local.base() + "/ui/#/admin/repositories");

                WebElement name = wait.until(ExpectedConditions.elementToBeClickable(By.id("repo-name")));
                assertThat(driver.findElement(By.id("repo-remote")).isDisplayed())
                        .isFalse();
                name.sendKeys("rem");
                new Select(driver.findElement(By.id("repo-class"))).selectByValue("remote");
                assertThat(driver.findElement(By.id("repo-remote")).isDisplayed())
                        .isTrue();
                driver.findElement(By.id("repo-url")).sendKeys(upstream.base() + "/repository/up/");
                driver.findElement(By.id("repo-username")).sendKeys("reader");
                driver.findElement(By.id("repo-password")).sendKeys(secret);
                driver.findElement(By.id("repo-create")).click();
                wait.until(ExpectedConditions.textToBePresentInElementLocated(
                        By.cssSelector("tr[data-repo=rem] .kind"), "generic, remote of " + upstream.base()));

                name = wait.until(ExpectedConditions.elementToBeClickable(By.id("repo-name")));
                name.sendKeys("virt");
                new Select(driver.findElement(By.id("repo-class"))).selectByValue("virtual");
                driver.findElement(By.id("repo-members")).sendKeys("rem");
                driver.findElement(By.id("repo-create")).click();
                wait.until(ExpectedConditions.textToBePresentInElementLocated(
                        By.cssSelector("tr[data-repo=virt] .kind"), "generic, virtual over rem"));
                assertThat(local.admin().get("/repository/virt/docs/a.txt").body())
                        .isEqualTo("from upstream");

                // the settings form shows the remote's url, never its password
                driver.findElement(By.id("edit-rem")).click();
                assertThat(driver.findElement(By.id("repo-url")).getDomProperty("value"))
                        .isEqualTo(upstream.base() + "/repository/up"); // as stored: without the final '/'

                assertThat(driver.findElement(By.id("repo-password")).getDomProperty("value"))
                        .isEmpty();
                assertThat(driver.getPageSource()).doesNotContain(secret);
                driver.findElement(By.id("repo-cancel")).click();

                driver.findElement(By.id("show-cache-rem")).click();
                wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("cache-rem"), "1 files"));
                shot("admin-remote-cache");
                driver.findElement(By.id("purge-rem")).click();
                wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm-dialog")));
                driver.findElement(By.id("confirm-ok")).click();
                wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("cache-rem"), "0 files"));
                assertThat(local.admin()
                                .get("/api/repositories/rem/cache")
                                .json()
                                .path("files")
                                .asLong())
                        .isZero();
            }
        }
    }

    /**
     * Issue 19 item 7: an npm repository browses by package and version (dist-tags, versions, the
     * readme as inert text, tarball downloads of the right bytes), and "Set me up" gives the .npmrc
     * lines with a fresh personal access key that works, shown once and kept nowhere else.
     */
    @Test
    void npmPackagesBrowseAndSetMeUpShowsAWorkingKeyOnce() throws Exception {
        Http admin = server.admin();
        put(admin.putJson("/api/repositories/npm-web", "{\"packageType\":\"npm\"}"));
        Fixtures.user(server, "nina", "nina-password-1");
        Fixtures.grantUser(server, "npm-web-nina", "npm-web", "nina", "r");
        byte[] one = "the bytes of widget 1.0.0".getBytes(StandardCharsets.UTF_8);
        byte[] two = "the bytes of widget 2.0.0-beta.1".getBytes(StandardCharsets.UTF_8);
        String xss = "# Widget\n<img src=x onerror=\"window.npmXss=1\">\n<script>window.npmXss=2</script>\n";
        String description = "<b>widgets</b> for all";
        NpmPublishes.publish(admin, "npm-web", "@acme/widget", "1.0.0", "latest", one, description, "# Widget");
        NpmPublishes.publish(admin, "npm-web", "@acme/widget", "2.0.0-beta.1", "beta", two, description, xss);
        driver.get(server.base() + "/ui/");
        js("sessionStorage.clear(); location.reload()");
        logIn("nina", "nina-password-1");

        // the repository list leads to the packages, then to the package
        driver.get(server.base() + "/ui/#/browse");
        wait.until(ExpectedConditions.elementToBeClickable(By.linkText("npm-web")))
                .click();
        WebElement packages = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("npm-packages")));
        assertThat(packages.getText()).contains("@acme/widget", "1.0.0", description);
        driver.findElement(By.linkText("@acme/widget")).click();
        WebElement tags = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("npm-dist-tags")));
        assertThat(tags.getText()).contains("latest 1.0.0", "beta 2.0.0-beta.1");
        assertThat(driver.findElements(By.cssSelector("#npm-versions tbody tr")))
                .hasSize(2);
        assertThat(driver.findElement(By.id("npm-description")).getText()).isEqualTo(description);

        // the readme is text: the markup shows as written and nothing of it runs
        assertThat(driver.findElement(By.id("npm-readme")).getText())
                .contains("<img src=x onerror=\"window.npmXss=1\">", "<script>window.npmXss=2</script>");
        assertThat(driver.findElements(By.cssSelector("#main img, #main script, #main b")))
                .isEmpty();
        assertThat(js("return typeof window.npmXss")).isEqualTo("undefined");
        shot("npm-package");

        // a tarball link: its href is the registry's tarball URL, and a click downloads its bytes
        WebElement link = driver.findElement(By.cssSelector("#npm-versions a.tarball-link[data-version='1.0.0']"));
        String href = link.getDomAttribute("href");
        assertThat(href).isEqualTo("/api/npm/npm-web/@acme/widget/-/widget-1.0.0.tgz");
        Http nina = server.anonymous().basic("nina", "nina-password-1");
        assertThat(nina.get(href).bytes()).isEqualTo(one);
        driver.executeCdpCommand("Browser.setDownloadBehavior", Map.of("behavior", "deny")); // no file left behind
        js("window.saved = []; const create = URL.createObjectURL;"
                + " URL.createObjectURL = b => { window.saved.push(b); return create(b); };");
        link.click();
        Object saved = ((JavascriptExecutor) driver)
                .executeAsyncScript("const done = arguments[arguments.length - 1];"
                        + " const poll = () => window.saved.length ? window.saved[0].text().then(done) : setTimeout(poll, 50);"
                        + " poll();");
        assertThat(saved).isEqualTo(new String(one, StandardCharsets.UTF_8));

        // a version's page
        driver.findElement(By.linkText("2.0.0-beta.1")).click();
        WebElement info = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("npm-version-info")));
        assertThat(info.getText()).contains("beta", "sha512-", "MIT", "widget-2.0.0-beta.1.tgz");
        assertThat(driver.findElement(By.id("npm-dependencies")).getText()).contains("left-pad", "^1.0.0");

        // set me up: the lines for this registry at the address the browser used, then a fresh key in them
        driver.findElement(By.linkText("npm-web")).click();
        wait.until(ExpectedConditions.elementToBeClickable(By.id("npm-setup-open")))
                .click();
        String host = URI.create(server.base()).getAuthority();
        By lines = By.cssSelector("#npm-setup-lines code");
        assertThat(wait.until(ExpectedConditions.visibilityOfElementLocated(lines))
                        .getText())
                .isEqualTo("registry=" + server.base() + "/api/npm/npm-web/\n//" + host
                        + "/api/npm/npm-web/:_authToken=<your access key>");
        driver.findElement(By.id("npm-setup-key")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("npm-setup-once")));
        Matcher m = Pattern.compile(
                        "^//" + Pattern.quote(host) + "/api/npm/npm-web/:_authToken=(\\S+)$", Pattern.MULTILINE)
                .matcher(driver.findElement(lines).getText());
        assertThat(m.find()).as(driver.findElement(lines).getText()).isTrue();
        String key = m.group(1);
        assertThat(key).isNotEqualTo("<your access key>");
        Http withKey = server.anonymous().bearer(key);
        JsonNode me = withKey.get("/api/me").json();
        assertThat(me.path("username").asText()).isEqualTo("nina");
        assertThat(me.path("authenticatedBy").asText()).isEqualTo("access-key");
        assertThat(withKey.get("/api/npm/npm-web/@acme%2fwidget").status()).isEqualTo(200);
        assertThat(nina.get("/api/access-keys").json().findValuesAsText("description"))
                .containsExactly("npm (web UI)");
        driver.findElement(By.id("npm-setup-scope")).sendKeys("@acme");
        assertThat(driver.findElement(lines).getText())
                .startsWith("@acme:registry=" + server.base() + "/api/npm/npm-web/\n")
                .endsWith(":_authToken=" + key);
        shot("npm-set-me-up");
        assertThat((String) js("return JSON.stringify([Object.entries(sessionStorage), Object.entries(localStorage)])"))
                .doesNotContain(key);
        assertThat(driver.getCurrentUrl()).doesNotContain(key);

        // closed, the key is gone from the page; opened again, the placeholder is back
        driver.findElement(By.id("npm-setup-close")).click();
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("npm-setup")));
        assertThat(driver.getPageSource()).doesNotContain(key);
        driver.findElement(By.id("npm-setup-open")).click();
        assertThat(wait.until(ExpectedConditions.visibilityOfElementLocated(lines))
                        .getText())
                .endsWith(":_authToken=<your access key>");
        assertThat(driver.getPageSource()).doesNotContain(key);
        assertThat(driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                        .filter(e -> e.getMessage().contains("Content Security Policy"))
                        .toList())
                .isEmpty();
        driver.findElement(By.id("logout")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-username")));

        // anonymous, on a public npm repository: the packages, and only the registry line (no key to create)
        put(admin.putJson("/api/repositories/npm-web", "{\"anonymousRead\":true}"));
        driver.get(server.base() + "/ui/#/npm/npm-web");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("npm-packages"), "@acme/widget"));
        driver.findElement(By.id("npm-setup-open")).click();
        assertThat(wait.until(ExpectedConditions.visibilityOfElementLocated(lines))
                        .getText())
                .isEqualTo("registry=" + server.base() + "/api/npm/npm-web/");
        assertThat(driver.findElement(By.id("npm-setup-key")).isDisplayed()).isFalse();
    }

    private static void logIn(String username, String password) {
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-username")))
                .sendKeys(username);
        driver.findElement(By.id("login-password")).sendKeys(password);
        driver.findElement(By.id("login-submit")).click();
        wait.until(ExpectedConditions.textToBe(By.id("who-name"), username));
    }

    private static void put(Http.Response r) {
        assertThat(r.status()).as(r.toString()).isIn(200, 201);
    }

    private static Object js(String script) {
        return ((JavascriptExecutor) driver).executeScript(script);
    }

    private static void shot(String name) throws IOException {
        File f = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Files.copy(f.toPath(), SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }
}
