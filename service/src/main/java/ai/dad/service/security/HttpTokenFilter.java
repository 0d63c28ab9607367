package ai.dad.service.security;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * With tokens configured ({@link Tokens}), every HTTP request outside Quarkus' own endpoints
 * ({@code /q/health}, {@code /q/metrics}: probes and scrapers carry no token) needs one: as
 * {@code Authorization: Bearer <token>} for scripts, or as the password of HTTP basic
 * authentication (any user name) so that a browser asks for it with its own dialog.
 */
@ApplicationScoped
public class HttpTokenFilter {
    private static final String BEARER = "Bearer ";
    private static final String BASIC = "Basic ";

    @Inject
    Tokens tokens;

    @ConfigProperty(name = "quarkus.http.non-application-root-path", defaultValue = "/q")
    String quarkusRoot;

    void register(@Observes Filters filters) {
        if (tokens.required()) {
            String open = "/" + quarkusRoot.replaceAll("^/+|/+$", "");
            filters.register(context -> check(context, open), 100);
        }
    }

    private void check(RoutingContext context, String open) {
        String path = context.normalizedPath();
        if (path.equals(open) || path.startsWith(open + "/") || authorized(context.request().getHeader("Authorization"))) {
            context.next();
            return;
        }
        context.response().setStatusCode(401)
                .putHeader("WWW-Authenticate", "Basic realm=\"dad\", charset=\"UTF-8\"")
                .putHeader("Content-Type", "text/plain; charset=utf-8")
                .end("a token is needed: the password of HTTP basic authentication (any user name), or Authorization: Bearer <token>\n");
    }

    private boolean authorized(String header) {
        if (header == null) {
            return false;
        }
        if (header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return tokens.accepts(header.substring(BEARER.length()));
        }
        if (header.regionMatches(true, 0, BASIC, 0, BASIC.length())) {
            String credentials;
            try {
                credentials = new String(Base64.getDecoder().decode(header.substring(BASIC.length()).trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return false;
            }
            int colon = credentials.indexOf(':');
            return colon >= 0 && tokens.accepts(credentials.substring(colon + 1));
        }
        return false;
    }
}
