package dev.coffer.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.testing.Fixtures;
import dev.coffer.testing.Http;
import dev.coffer.testing.NpmPublishes;
import dev.coffer.testing.TestServer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

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

    /**
     * Issue 19 items 3 and 7: an administrator creates a virtual npm repository over two local ones
     * in the pages; a user who may read all of the first member but in the second only
     * {@code @acme/widget}'s 2.x tarballs opens it from the repository list and sees what the
     * registry merges for them: {@code @acme/widget} (not {@code @acme/secret}), its versions from
     * both members with tarball links on the virtual registry, the right bytes downloaded, the
     * virtual's own registry in "Set me up", and its members named where a local repository offers
     * its files.
     */
    @Test
    void aVirtualNpmRepositoryShowsWhatItMergesForTheCaller() throws Exception {
        Http admin = server.admin();
        put(admin.putJson("/api/repositories/npm-one", "{\"packageType\":\"npm\"}"));
        put(admin.putJson("/api/repositories/npm-two", "{\"packageType\":\"npm\"}"));
        byte[] one = "widget 1.0.0 from npm-one".getBytes(StandardCharsets.UTF_8);
        byte[] two = "widget 2.0.0 from npm-two".getBytes(StandardCharsets.UTF_8);
        NpmPublishes.publish(admin, "npm-one", "@acme/widget", "1.0.0", "latest", one, "widgets", "# Widget");
        NpmPublishes.publish(admin, "npm-two", "@acme/widget", "2.0.0", "latest", two, "widgets", "# Widget");
        byte[] secret = "secret 1.0.0".getBytes(StandardCharsets.UTF_8);
        NpmPublishes.publish(admin, "npm-two", "@acme/secret", "1.0.0", "latest", secret, "secrets", "# Secret");
        Fixtures.user(server, "vera", "vera-password-1");
        Fixtures.grantUser(server, "npm-one-vera", "npm-one", "vera", "r");
        Fixtures.grant(
                server,
                "npm-two-vera",
                List.of("npm-two"),
                List.of("@acme/widget", "@acme/widget/-/widget-2.*"),
                "vera",
                "r");

        // the administrator creates the virtual repository in the pages
        driver.get(server.base() + "/ui/");
        js("sessionStorage.clear(); location.reload()");
        logIn("admin", TestServer.ADMIN_PASSWORD);
        driver.get(server.base() + "/ui/#/admin/repositories");
        wait.until(ExpectedConditions.elementToBeClickable(By.id("repo-name"))).sendKeys("npm-virt");
        new Select(driver.findElement(By.id("repo-type"))).selectByValue("npm");
        new Select(driver.findElement(By.id("repo-class"))).selectByValue("virtual");
        driver.findElement(By.id("repo-members")).sendKeys("npm-one, npm-two");
        driver.findElement(By.id("repo-create")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector("tr[data-repo=npm-virt] .kind"), "npm, virtual over npm-one, npm-two"));
        // (a permission target names only repositories that exist)
        Fixtures.grantUser(server, "npm-virt-vera", "npm-virt", "vera", "r");
        driver.findElement(By.id("logout")).click();
        logIn("vera", "vera-password-1");

        // from the repository list to the virtual's packages: only what vera may read, each name once
        driver.get(server.base() + "/ui/#/browse");
        wait.until(ExpectedConditions.elementToBeClickable(By.linkText("npm-virt")))
                .click();
        WebElement packages = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("npm-packages")));
        assertThat(packages.getText()).contains("@acme/widget").doesNotContain("@acme/secret");
        assertThat(driver.findElements(By.cssSelector("#npm-packages tbody tr")))
                .hasSize(1);
        // a virtual repository has no files of its own: its members are named instead of "Browse its files"
        assertThat(driver.findElements(By.linkText("Browse its files"))).isEmpty();
        WebElement about = driver.findElement(By.id("npm-about"));
        assertThat(about.getText()).startsWith("A virtual npm registry over npm-one, npm-two.");
        assertThat(about.findElement(By.linkText("npm-one")).getDomAttribute("href"))
                .isEqualTo("#/npm/npm-one");
        shot("npm-virtual-packages");

        // the package: versions of both members, tarball links on the virtual registry
        driver.findElement(By.linkText("@acme/widget")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("npm-versions")));
        assertThat(driver.findElements(By.cssSelector("#npm-versions tbody tr")).stream()
                        .map(tr -> tr.getDomAttribute("data-version"))
                        .toList())
                .containsExactly("2.0.0", "1.0.0");
        String reg = "/api/npm/npm-virt/@acme/widget/-/";
        WebElement link1 = driver.findElement(By.cssSelector("#npm-versions a.tarball-link[data-version='1.0.0']"));
        WebElement link2 = driver.findElement(By.cssSelector("#npm-versions a.tarball-link[data-version='2.0.0']"));
        assertThat(link1.getDomAttribute("href")).isEqualTo(reg + "widget-1.0.0.tgz");
        assertThat(link2.getDomAttribute("href")).isEqualTo(reg + "widget-2.0.0.tgz");
        shot("npm-virtual-package");

        // a click downloads the bytes from the member that has them (here the second)
        Http vera = server.anonymous().basic("vera", "vera-password-1");
        assertThat(vera.get(reg + "widget-2.0.0.tgz").bytes()).isEqualTo(two);
        assertThat(clickAndReadDownload(link2)).isEqualTo(new String(two, StandardCharsets.UTF_8));
        assertThat(clickAndReadDownload(link1)).isEqualTo(new String(one, StandardCharsets.UTF_8));

        // the second member's version has its page, its tarball on the virtual registry too
        driver.findElement(By.linkText("2.0.0")).click();
        WebElement info = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("npm-version-info")));
        assertThat(info.findElement(By.cssSelector("a.tarball-link")).getDomAttribute("href"))
                .isEqualTo(reg + "widget-2.0.0.tgz");

        // set me up names the virtual registry
        driver.findElement(By.linkText("npm-virt")).click();
        wait.until(ExpectedConditions.elementToBeClickable(By.id("npm-setup-open")))
                .click();
        String host = URI.create(server.base()).getAuthority();
        assertThat(wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#npm-setup-lines code")))
                        .getText())
                .isEqualTo("registry=" + server.base() + "/api/npm/npm-virt/\n//" + host
                        + "/api/npm/npm-virt/:_authToken=<your access key>");
        assertThat(driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                        .filter(e -> e.getMessage().contains("Content Security Policy"))
                        .toList())
                .isEmpty();
        driver.findElement(By.id("logout")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-username")));
    }

    /** Clicks a tarball link and answers the text of the Blob the page saved (the browser itself saves no file). */
    private Object clickAndReadDownload(WebElement link) {
        driver.executeCdpCommand("Browser.setDownloadBehavior", Map.of("behavior", "deny"));
        js("window.saved = []; if (!window.realCreateObjectURL) window.realCreateObjectURL = URL.createObjectURL;"
                + " URL.createObjectURL = b => { window.saved.push(b); return window.realCreateObjectURL(b); };");
        link.click();
        return ((JavascriptExecutor) driver)
                .executeAsyncScript("const done = arguments[arguments.length - 1];"
                        + " const poll = () => window.saved.length ? window.saved[0].text().then(done) : setTimeout(poll, 50);"
                        + " poll();");
    }
}
