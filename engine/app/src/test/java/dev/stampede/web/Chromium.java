package dev.stampede.web;


import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.logging.Level;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Debian's headless Chromium driven by Debian's chromedriver, for browser tests. Both paths are
 * given explicitly, so Selenium Manager (which would download a browser or a driver) has nothing to
 * find; {@link #start} checks that it did not run, by its cache directory, which it creates on
 * every run.
 */
public final class Chromium {

  public static final Path BINARY = Path.of("/usr/bin/chromium");
  public static final Path DRIVER = Path.of("/usr/bin/chromedriver");
  /** Selenium Manager's cache (SE_CACHE_PATH unset): it extracts itself there whenever it runs. */
  private static final Path SELENIUM_CACHE = Path.of(System.getProperty("user.home"), ".cache", "selenium");
  /** Where tests write screenshots for people to look at. */
  public static final Path SCREENSHOTS = Path.of("target", "screenshots");

  /**
   * Selenium's own logger: quiet below SEVERE, as the tests use no DevTools protocol and Selenium's
   * warning that it has no CDP bindings for this Chromium version is noise. Held so it is not collected.
   */
  private static final java.util.logging.Logger SELENIUM_LOG = java.util.logging.Logger.getLogger("org.openqa.selenium");

  static {
    SELENIUM_LOG.setLevel(Level.SEVERE);
  }

  private Chromium() {}

  /** Skips the test, saying why, when Debian's chromium or chromium-driver is not installed; fails it with CI=true. */
  public static void assumeInstalled() {
    dev.stampede.testkit.RequiredTool.assumeInstalled(BINARY, "Debian: apt-get install chromium chromium-driver");
    dev.stampede.testkit.RequiredTool.assumeInstalled(DRIVER, "Debian: apt-get install chromium chromium-driver");
  }

  /** A new headless browser with its own profile in {@code profile}; quit it when done. */
  public static ChromeDriver start(Path profile) {
    boolean cacheExisted = Files.exists(SELENIUM_CACHE);
    ChromeOptions options = new ChromeOptions();
    options.setBinary(BINARY.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-default-apps", "--disable-extensions", "--window-size=1400,2400",
        "--user-data-dir=" + profile.toAbsolutePath());
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(DRIVER.toString()))
        .usingAnyFreePort()
        .build();
    ChromeDriver driver = new ChromeDriver(service, options);
    if (!cacheExisted && Files.exists(SELENIUM_CACHE)) {
      driver.quit();
      throw new AssertionError("Selenium Manager ran (it created " + SELENIUM_CACHE + "); it must not download anything");
    }
    return driver;
  }

  /** The browser console's messages since the last call. */
  public static List<LogEntry> console(ChromeDriver driver) {
    return driver.manage().logs().get(LogType.BROWSER).getAll();
  }

  /** Saves a screenshot of the window as {@code target/screenshots/NAME.png}. */
  public static Path screenshot(ChromeDriver driver, String name) throws IOException {
    Files.createDirectories(SCREENSHOTS);
    Path target = SCREENSHOTS.resolve(name + ".png");
    File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
    Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
    return target;
  }
}
