package ai.dad.service.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import ai.dad.service.PageBrowser;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URL;
import org.junit.jupiter.api.Test;

/**
 * With tokens configured, the operator page and its data need one (HTTP basic with the token as
 * password, or a bearer header), while the probes' and scrapers' endpoints under /q stay open.
 * Same profile as {@link TlsAndTokenTest}, so the service is started once for both.
 */
@QuarkusTest
@TestProfile(TlsAndTokenTest.Secured.class)
class OperatorPageAuthTest {
    @TestHTTPResource("/")
    URL page;

    @Test
    void thePageAndItsDataNeedTheToken() {
        for (String path : new String[] {"/", "/index.html", "/page.js", "/api/page", "/api/ng/1"}) {
            given().get(path).then().statusCode(401).header("WWW-Authenticate", containsString("Basic"));
            given().auth().preemptive().basic("operator", "wrong-token").get(path).then().statusCode(401);
            given().header("Authorization", "Bearer wrong-token").get(path).then().statusCode(401);
        }
        given().auth().preemptive().basic("operator", TlsAndTokenTest.TOKEN).get("/api/page").then().statusCode(200);
        given().auth().preemptive().basic("anyone", "another-token").get("/").then().statusCode(200);
        given().header("Authorization", "Bearer " + TlsAndTokenTest.TOKEN).get("/api/page").then().statusCode(200);
    }

    @Test
    void healthAndMetricsStayOpen() {
        // Ready may still be DOWN (503) while the model loads; it must never ask for a token.
        given().get("/q/health/ready").then().statusCode(not(401));
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200);
    }

    @Test
    void aBrowserWithTheTokenAsPasswordSeesThePage() throws Exception {
        try (PageBrowser browser = new PageBrowser(page, "operator", TlsAndTokenTest.TOKEN)) {
            browser.await("the demo model", html -> html.querySelector("[data-model='demo'] [data-stat='frames']"));
        }
    }
}
