package dev.coffer.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.testing.Http;
import dev.coffer.testing.TestServer;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * The administration pages in Chromium: groups, users and permission targets; a lockout and an
 * ended session explained; remote and virtual repositories created, shown and purged.
 */
class WebUiAdminTest extends WebUiFixture {
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
}
