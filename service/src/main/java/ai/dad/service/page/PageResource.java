package ai.dad.service.page;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import org.jboss.resteasy.reactive.NoCache;

/**
 * The operator page's data: {@code /api/page} (JSON, polled by the page every second) and the NG
 * thumbnails. The page itself is static ({@code META-INF/resources/index.html}).
 */
@Path("/api")
public class PageResource {
    @Inject
    LiveView view;

    @GET
    @Path("page")
    @Produces(MediaType.APPLICATION_JSON)
    @NoCache
    public PageData page() {
        return view.snapshot();
    }

    /** A thumbnail never changes once drawn, so the browser may keep it. */
    @GET
    @Path("ng/{seq}")
    @Produces("image/jpeg")
    public Response thumbnail(@PathParam("seq") long seq) throws IOException {
        byte[] jpeg = view.thumbnail(seq).orElseThrow(() -> new NotFoundException("no such NG frame (any more)"));
        return Response.ok(jpeg).header("Cache-Control", "private, max-age=3600").build();
    }
}
