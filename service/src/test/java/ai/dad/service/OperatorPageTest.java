package ai.dad.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dad.toolkit.demo.DemoParts;
import ai.dad.imaging.Png;
import ai.dad.proto.v1.Decision;
import ai.dad.proto.v1.Verdict;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.htmlunit.html.DomNode;
import org.htmlunit.html.HtmlImage;
import org.htmlunit.html.HtmlPage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The operator page in a headless browser ({@link PageBrowser}): defective washers streamed
 * through gRPC show up, without reloading the page, in the NG counter and as thumbnails with the
 * heatmap.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OperatorPageTest {
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
        try (PageBrowser browser = new PageBrowser(page, null, null)) {
            long ngBefore = Long.parseLong(browser.await("the demo model's NG count", html -> stat(html, "ng")));
            long framesBefore = Long.parseLong(browser.read(html -> stat(html, "frames")));

            DemoParts parts = new DemoParts(96);
            Random random = new Random(16);
            List<String> ids = new ArrayList<>();
            for (DemoParts.Defect defect : DemoParts.Defect.values()) {
                String id = "page-" + defect.name().toLowerCase();
                Verdict verdict = client.blocking().inspect(Frames.request(id, Png.encode(parts.defective(defect, random).image())));
                assertEquals(Decision.NG, verdict.getDecision(), id + " is a defective washer: " + verdict);
                ids.add(id);
            }

            browser.await("the NG count to include the streamed frames",
                    html -> Long.parseLong(stat(html, "ng")) >= ngBefore + ids.size() ? true : null);
            assertTrue(Long.parseLong(browser.read(html -> stat(html, "frames"))) >= framesBefore + ids.size());
            for (String id : ids) {
                DomNode figure = browser.await("the thumbnail of " + id, html -> figure(html, id));
                int width = browser.read(html -> ((HtmlImage) figure.querySelector("img")).getWidth());
                assertEquals(160, width, "a 160 px thumbnail of a square frame, downloaded");
            }
        }
    }

    /** The text of a counter of the demo model, or null while the page has not drawn it. */
    private static String stat(HtmlPage html, String name) {
        DomNode value = html.querySelector("[data-model='demo'] [data-stat='" + name + "']");
        return value == null ? null : value.getTextContent();
    }

    /** The gallery's figure whose caption names {@code frameId}, or null. */
    private static DomNode figure(HtmlPage html, String frameId) {
        for (DomNode figure : html.querySelectorAll("#ng-frames figure.ng")) {
            DomNode id = figure.querySelector(".frame-id");
            if (id != null && id.getTextContent().equals(frameId)) {
                return figure;
            }
        }
        return null;
    }
}
