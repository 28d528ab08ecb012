package dev.coffer.remote;

import dev.coffer.common.ArtifactPath;
import dev.coffer.repository.RemoteSettings;
import dev.coffer.repository.Repository;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;

/**
 * GETs files from remote repositories' upstreams, on one shared JDK client: a bounded wait for the
 * connection and for the response headers, a bounded pause inside the body ({@link IdleGuard}),
 * redirects followed by hand (at most five, never from https to http) so that the upstream's
 * credentials go to the upstream's own origin only. Credentials are the remote's, Basic, never the
 * caller's.
 */
public final class UpstreamClient implements AutoCloseable {
    /** Names Coffer to the upstream (some refuse clients without a User-Agent). */
    public static final String USER_AGENT = "Coffer (remote repository)";

    private static final int MAX_REDIRECTS = 5;

    private final HttpClient http;
    private final Duration responseTimeout;
    private final Duration idleTimeout;
    private final Function<Repository, Optional<String>> passwords;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "coffer-upstream-idle");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param passwords a remote repository's upstream password, opened from its sealed form only for
     *     the request that sends it (empty: none)
     */
    public UpstreamClient(
            Duration connectTimeout,
            Duration responseTimeout,
            Duration idleTimeout,
            Function<Repository, Optional<String>> passwords) {
        this.http = HttpClient.newBuilder()
                .connectTimeout(Objects.requireNonNull(connectTimeout))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.responseTimeout = Objects.requireNonNull(responseTimeout);
        this.idleTimeout = Objects.requireNonNull(idleTimeout);
        this.passwords = Objects.requireNonNull(passwords);
    }

    /** GET of {@code path} on the remote repository's upstream, conditional when {@code ifChanged} holds validators. */
    UpstreamAnswer get(Repository repo, ArtifactPath path, Validators ifChanged) {
        return get(repo, UpstreamLocation.of(repo.remote().url(), path), !path.isRoot(), ifChanged, null);
    }

    /**
     * GET of {@code at} (a URL the upstream itself gave, or one made from the repository's URL), the
     * remote's credentials sent only to the upstream's own origin.
     *
     * @param file a file is expected: a redirect to a folder's listing is taken as "absent"
     * @param accept the {@code Accept} header to send, or null
     */
    UpstreamAnswer get(Repository repo, URI at, boolean file, Validators ifChanged, String accept) {
        RemoteSettings remote = repo.remote();
        String authorization = authorization(repo);
        for (int hop = 0; ; hop++) {
            HttpResponse<InputStream> r;
            try {
                r = http.send(
                        request(remote.url(), at, authorization, ifChanged, accept),
                        HttpResponse.BodyHandlers.ofInputStream());
            } catch (HttpConnectTimeoutException e) {
                return new UpstreamAnswer.Failed("connecting to the upstream timed out");
            } catch (HttpTimeoutException e) {
                return new UpstreamAnswer.Failed(
                        "the upstream did not answer within " + responseTimeout.toSeconds() + " s");
            } catch (ConnectException e) {
                return new UpstreamAnswer.Failed("the upstream could not be reached (connection refused)");
            } catch (IOException e) {
                return new UpstreamAnswer.Failed("the upstream could not be reached ("
                        + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new UpstreamAnswer.Failed("the request to the upstream was interrupted");
            }
            int status = r.statusCode();
            if (status == 200) {
                if (file && r.uri().getRawPath() != null && r.uri().getRawPath().endsWith("/")) {
                    // redirected to a folder's listing: there is no file at this path
                    discard(r);
                    return new UpstreamAnswer.Absent();
                }
                long size = r.headers().firstValueAsLong("Content-Length").orElse(-1);
                Validators v = new Validators(
                        r.headers().firstValue("ETag").orElse(null),
                        r.headers().firstValue("Last-Modified").orElse(null));
                return new UpstreamAnswer.Found(new IdleGuard(r.body(), idleTimeout, timer), size, v);
            }
            discard(r);
            if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
                URI next = location(at, r.headers().firstValue("Location").orElse(null));
                String refusal = next == null
                        ? "the upstream answered " + status + " without a usable Location"
                        : hop >= MAX_REDIRECTS
                                ? "the upstream redirected more than " + MAX_REDIRECTS + " times"
                                : refusal(at, next);
                if (refusal != null) {
                    return new UpstreamAnswer.Failed(refusal);
                }
                at = next;
                continue;
            }
            if (status == 304) {
                return new UpstreamAnswer.NotModified();
            }
            if (status == 404 || status == 410) {
                return new UpstreamAnswer.Absent();
            }
            if (status == 401 || status == 403) {
                return new UpstreamAnswer.Failed("the upstream refused access (" + status
                        + "); check the remote repository's username and password");
            }
            return new UpstreamAnswer.Failed("the upstream answered " + status);
        }
    }

    /** Where a redirect leads, resolved against the request's URI; null when it leads nowhere usable. */
    static URI location(URI at, String location) {
        if (location == null) {
            return null;
        }
        try {
            URI next = at.resolve(location.trim());
            return next.getHost() == null ? null : next;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Why a redirect from {@code at} to {@code next} is not followed, or null when it is. */
    static String refusal(URI at, URI next) {
        String scheme = String.valueOf(next.getScheme()).toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return "the upstream redirected to a " + scheme + " URL, which Coffer does not follow";
        }
        if ("https".equalsIgnoreCase(at.getScheme()) && scheme.equals("http")) {
            return "the upstream redirected from https to http, which Coffer does not follow";
        }
        return null;
    }

    private HttpRequest request(URI upstream, URI at, String authorization, Validators ifChanged, String accept) {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(at).GET().timeout(responseTimeout).header("User-Agent", USER_AGENT);
        if ("http".equalsIgnoreCase(at.getScheme())) {
            b.version(HttpClient.Version.HTTP_1_1); // no h2c upgrade dance with plain-text servers
        }
        if (authorization != null && UpstreamLocation.sameOrigin(at, upstream)) {
            b.header("Authorization", authorization);
        }
        if (accept != null) {
            b.header("Accept", accept);
        }
        if (ifChanged.etag() != null) {
            b.header("If-None-Match", ifChanged.etag());
        }
        if (ifChanged.lastModified() != null) {
            b.header("If-Modified-Since", ifChanged.lastModified());
        }
        return b.build();
    }

    private String authorization(Repository repo) {
        String username = repo.remote().username();
        if (username == null || username.isEmpty()) {
            return null;
        }
        String pair = username + ":" + passwords.apply(repo).orElse("");
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    private static void discard(HttpResponse<InputStream> r) {
        try {
            r.body().close();
        } catch (IOException e) {
            // nothing was wanted from it
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
