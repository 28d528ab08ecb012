package dev.coffer.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.testing.Http;
import dev.coffer.testing.TestServer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * The web UI in a real browser (Debian's headless Chromium through Selenium): a user logs in,
 * generates a personal access key, uses it with an HTTP client against a private artifact, sees
 * "last used" appear, revokes it and the client gets 401; an administrator makes a repository
 * public and an anonymous browser then reads from it. Screenshots go to target/screenshots/.
 */
class WebUiStoryTest extends WebUiFixture {
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
}
