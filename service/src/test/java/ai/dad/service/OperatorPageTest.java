package ai.dad.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dad.djl.demo.DemoParts;
import ai.dad.imaging.Png;
import ai.dad.proto.v1.Decision;
import ai.dad.proto.v1.Verdict;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.htmlunit.BrowserVersion;
import org.htmlunit.WebClient;
import org.htmlunit.html.DomNode;
import org.htmlunit.html.HtmlImage;
import org.htmlunit.html.HtmlPage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The operator page in a headless browser (HtmlUnit, which runs the page's JavaScript): defective
 * washers streamed through gRPC show up, without reloading the page, in the NG counter and as
 * thumbnails with the heatmap.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OperatorPageTest {
    private static final long WAIT_NANOS = TimeUnit.MINUTES.toNanos(2);

    @TestHTTPResource("/")
    URL page;

    private GrpcTestClient client;

    @BeforeAll
    void connect() throws InterruptedException {
        client = new GrpcTestClient();
        client.awaitServing();
    }

    @AfterAll
    void disconnect() throws InterruptedException {
        client.close();
    }

    @Test
    void ngFramesAppearLiveWithTheirCountsAndThumbnails() throws Exception {
        try (WebClient browser = new WebClient(BrowserVersion.CHROME)) {
            browser.getOptions().setThrowExceptionOnScriptError(true);
            browser.getOptions().setCssEnabled(false);
            HtmlPage html = browser.getPage(page);
            long ngBefore = Long.parseLong(await(html, "the demo model's NG count", () -> stat(html, "ng")));
            long framesBefore = Long.parseLong(stat(html, "frames"));

            DemoParts parts = new DemoParts(96);
            Random random = new Random(16);
            List<String> ids = new ArrayList<>();
            for (DemoParts.Defect defect : DemoParts.Defect.values()) {
                String id = "page-" + defect.name().toLowerCase();
                Verdict verdict = client.blocking().inspect(Frames.request(id, Png.encode(parts.defective(defect, random).image())));
                assertEquals(Decision.NG, verdict.getDecision(), id + " is a defective washer: " + verdict);
                ids.add(id);
            }

            await(html, "the NG count to include the streamed frames",
                    () -> Long.parseLong(stat(html, "ng")) >= ngBefore + ids.size() ? "" : null);
            assertTrue(Long.parseLong(stat(html, "frames")) >= framesBefore + ids.size());
            for (String id : ids) {
                DomNode figure = await(html, "the thumbnail of " + id, () -> figure(html, id));
                HtmlImage thumbnail = figure.querySelector("img");
                synchronized (html) {
                    assertEquals(160, thumbnail.getWidth(), "a 160 px thumbnail of a square frame, downloaded");
                }
            }
        }
    }

    /** The text of a counter of the demo model, or null while the page has not drawn it. */
    private static String stat(HtmlPage html, String name) {
        synchronized (html) { // HtmlUnit runs the page's scripts under the page's lock
            DomNode value = html.querySelector("[data-model='demo'] [data-stat='" + name + "']");
            return value == null ? null : value.getTextContent();
        }
    }

    /** The gallery's figure whose caption names {@code frameId}, or null. */
    private static DomNode figure(HtmlPage html, String frameId) {
        synchronized (html) {
            for (DomNode figure : html.querySelectorAll("#ng-frames figure.ng")) {
                DomNode id = figure.querySelector(".frame-id");
                if (id != null && id.getTextContent().equals(frameId)) {
                    return figure;
                }
            }
            return null;
        }
    }

    /** Lets the page's scripts run until {@code probe} gives a value; fails after two minutes. */
    private static <T> T await(HtmlPage html, String what, Supplier<T> probe) throws InterruptedException {
        long until = System.nanoTime() + WAIT_NANOS;
        while (true) {
            T value = probe.get();
            if (value != null) {
                return value;
            }
            if (System.nanoTime() > until) {
                throw new AssertionError("the page never showed " + what);
            }
            synchronized (html) {
                html.wait(200); // releases the lock so the page's scripts can run
            }
        }
    }
}
