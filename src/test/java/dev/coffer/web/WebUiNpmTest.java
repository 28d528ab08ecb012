package dev.coffer.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.testing.Fixtures;
import dev.coffer.testing.Http;
import dev.coffer.testing.NpmPublishes;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;

/** npm repositories in Chromium (issue 19 items 3 and 7): packages and versions, tarball downloads, "Set me up". */
class WebUiNpmTest extends WebUiFixture {
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
}
