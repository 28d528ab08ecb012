package dev.coffer.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.testing.Folders;
import dev.coffer.testing.Http;
import dev.coffer.testing.TestServer;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web UI tests' browser: Debian's headless Chromium through Selenium, started once per test
 * class (one instance per class, so no class shares another's browser or server) with one
 * {@link TestServer}, and everything closed after the class. Screenshots go to target/screenshots/.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class WebUiFixture {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SHOTS = Path.of("target/screenshots");

    TestServer server;
    ChromeDriver driver;
    WebDriverWait wait;
    private Path profile;
    private ChromeDriverService service;
    /** Why the browser tests cannot run here, or null. */
    private String missing;

    @BeforeAll
    void start() throws IOException {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!present) {
            String why = getClass().getSimpleName() + " needs Debian's chromium and chromium-driver (" + CHROMIUM + ", "
                    + CHROMEDRIVER + "): apt-get install -y chromium chromium-driver (.ci/run does this)";
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

    /** Each one closed even when an earlier one fails, so no browser, driver, profile or server outlives the class. */
    @AfterAll
    void stop() {
        try {
            if (driver != null) {
                driver.quit();
            }
        } finally {
            try {
                if (service != null) {
                    service.stop();
                }
            } finally {
                try {
                    if (server != null) {
                        server.close();
                    }
                } finally {
                    Folders.delete(profile);
                }
            }
        }
    }

    void logIn(String username, String password) {
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-username")))
                .sendKeys(username);
        driver.findElement(By.id("login-password")).sendKeys(password);
        driver.findElement(By.id("login-submit")).click();
        wait.until(ExpectedConditions.textToBe(By.id("who-name"), username));
    }

    static void put(Http.Response r) {
        assertThat(r.status()).as(r.toString()).isIn(200, 201);
    }

    Object js(String script) {
        return ((JavascriptExecutor) driver).executeScript(script);
    }

    void shot(String name) throws IOException {
        File f = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Files.copy(f.toPath(), SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }
}
