package ai.dad.service;

import java.io.IOException;
import java.net.URL;
import java.util.concurrent.TimeUnit;
import org.htmlunit.BrowserVersion;
import org.htmlunit.DefaultCredentialsProvider;
import org.htmlunit.WebClient;
import org.htmlunit.html.HtmlPage;

/**
 * The operator page open in HtmlUnit, a headless browser that runs the page's JavaScript (a
 * script error fails the test). HtmlUnit runs the page's scripts on its own thread under the
 * page's lock, so every look at the page here takes that lock too.
 */
public final class PageBrowser implements AutoCloseable {
    private static final long WAIT_NANOS = TimeUnit.MINUTES.toNanos(2);

    /** A look at the page (it may load an image, hence the IOException). */
    @FunctionalInterface
    public interface Look<T> {
        T at(HtmlPage html) throws IOException;
    }

    private final WebClient browser = new WebClient(BrowserVersion.CHROME);
    private final HtmlPage html;

    /** Opens {@code page}; with a {@code password}, answers the page's HTTP basic challenge with it. */
    public PageBrowser(URL page, String user, String password) throws IOException {
        browser.getOptions().setThrowExceptionOnScriptError(true);
        browser.getOptions().setCssEnabled(false);
        if (password != null) {
            DefaultCredentialsProvider credentials = new DefaultCredentialsProvider();
            credentials.addCredentials(user, password.toCharArray());
            browser.setCredentialsProvider(credentials);
        }
        html = browser.getPage(page);
    }

    /** What {@code look} sees of the page now. */
    public <T> T read(Look<T> look) throws IOException {
        synchronized (html) {
            return look.at(html);
        }
    }

    /** Lets the page's scripts run until {@code look} sees something (not null); fails after two minutes. */
    public <T> T await(String what, Look<T> look) throws IOException, InterruptedException {
        long until = System.nanoTime() + WAIT_NANOS;
        synchronized (html) {
            T seen;
            while ((seen = look.at(html)) == null) {
                if (System.nanoTime() > until) {
                    throw new AssertionError("the page never showed " + what);
                }
                html.wait(200); // releases the lock so the page's scripts can run
            }
            return seen;
        }
    }

    @Override
    public void close() {
        browser.close();
    }
}
