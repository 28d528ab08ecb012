package dev.coffer.http;

import dev.coffer.artifact.ArtifactService;
import dev.coffer.artifact.FileRecord;
import dev.coffer.common.Action;
import dev.coffer.common.CofferException;
import dev.coffer.common.MemoryOnly;
import dev.coffer.credential.AuthResult;
import dev.coffer.credential.Caller;
import dev.coffer.credential.PresentedCredentials;
import dev.coffer.permission.AccessService;
import dev.coffer.repository.RepositoryService;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.Optional;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The common download, served by Jetty itself in front of the router: a plain GET of a small file
 * that exists and that the caller may read. Servlet and router cost about as much CPU as the
 * whole rest of such a request, and builds fetch thousands of them.
 *
 * <p>It makes exactly the decisions of the {@link Guard} and {@link ContentRoutes} (same
 * authenticator, same access decision, same headers, audit event and request attributes), and
 * takes a request only when the outcome is a 200 with the file. Everything else (a rejected or
 * denied caller, a missing file, a folder, ranges, conditional requests, HEAD, odd paths, any
 * failure) goes on to the router unchanged. Authentication has side effects (lockout counts,
 * last use), so its result is handed on with the request and the guard does not repeat it.
 */
public final class FastDownloads {
    private static final String ROUTE = "/repository/{repo}/<path>";

    private final Guard guard;
    private final ArtifactService artifacts;
    private final RepositoryService repositories;
    private final AccessService access;
    private final AuditTrail audit;
    private final ClientAddress clients;
    private final java.util.concurrent.atomic.LongAdder served = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder handedOff = new java.util.concurrent.atomic.LongAdder();

    public FastDownloads(Guard guard, ArtifactService artifacts, RepositoryService repositories, AccessService access,
            AuditTrail audit, ClientAddress clients) {
        this.guard = Objects.requireNonNull(guard);
        this.artifacts = Objects.requireNonNull(artifacts);
        this.repositories = Objects.requireNonNull(repositories);
        this.access = Objects.requireNonNull(access);
        this.audit = Objects.requireNonNull(audit);
        this.clients = Objects.requireNonNull(clients);
    }

    /** How many downloads this path has served (a meter: shows the path at work). */
    public long served() {
        return served.sum();
    }

    /** How many requests would have waited on the selector thread and were handed to the pool (a meter). */
    public long handedOff() {
        return handedOff.sum();
    }

    void countHandOff() {
        handedOff.increment();
    }

    /**
     * True when the response is underway (the callback will be completed); false: hand it on
     * untouched. For a thread that may wait; see {@link #prepare} for one that may not.
     */
    boolean serve(Request request, Response response, Callback callback) {
        ByteBuffer content = prepare(request, response);
        if (content == null) {
            return false;
        }
        send(response, content, callback);
        return true;
    }

    /**
     * Decides and sets the status and headers; returns the content for {@link #send}, or null: hand
     * the request on untouched. Inside {@link MemoryOnly#call} it throws {@link MemoryOnly.WouldWait}
     * where it would wait (a credential, file or content not in memory) before it has answered
     * anything; it may then be called again for the same request where waiting is allowed. It
     * does not write, so what a write completes at once (the access log, the meters) runs outside
     * that scope.
     */
    ByteBuffer prepare(Request request, Response response) {
        if (!"GET".equals(request.getMethod())) {
            return null;
        }
        String rawPath = request.getHttpURI().getPath();
        if (rawPath == null || !rawPath.startsWith(Guard.REPOSITORY_PREFIX) || rawPath.indexOf(';') >= 0) {
            return null;
        }
        // one pass over the headers rather than a lookup by name for each of the ten it cares about;
        // a request with any that makes the answer other than a plain 200 goes to the router
        String authorization = null;
        String accessKey = null;
        String authToken = null;
        String authUserId = null;
        String circleToken = null;
        String userAgent = null;
        for (HttpField f : request.getHeaders()) {
            HttpHeader known = f.getHeader();
            if (known != null) {
                switch (known) {
                    case RANGE, IF_RANGE, IF_NONE_MATCH, IF_MODIFIED_SINCE -> {
                        return null;
                    }
                    case AUTHORIZATION -> {
                        if (authorization != null) {
                            return null; // sent twice: the router refuses it as ambiguous (API.md section 4)
                        }
                        authorization = f.getValue();
                    }
                    case USER_AGENT -> userAgent = userAgent == null ? f.getValue() : userAgent;
                    default -> { }
                }
                continue;
            }
            // a credential header sent twice goes to the router, which refuses it as ambiguous
            String name = f.getName();
            if (name.equalsIgnoreCase(Guard.ACCESS_KEY)) {
                if (accessKey != null) {
                    return null;
                }
                accessKey = f.getValue();
            } else if (name.equalsIgnoreCase(Guard.AUTH_TOKEN)) {
                if (authToken != null) {
                    return null;
                }
                authToken = f.getValue();
            } else if (name.equalsIgnoreCase(Guard.AUTH_USER_ID)) {
                if (authUserId != null) {
                    return null;
                }
                authUserId = f.getValue();
            } else if (name.equalsIgnoreCase(Guard.CIRCLE_TOKEN)) {
                if (circleToken != null) {
                    return null;
                }
                circleToken = f.getValue();
            }
        }
        RepoTarget target;
        try {
            HttpServer.rejectMalformedEscapes(rawPath);
            target = RepoTarget.parse(rawPath, Guard.REPOSITORY_PREFIX);
        } catch (CofferException e) {
            return null; // the router answers with the JSON error, after authenticating as always
        }
        if (target.trailingSlash() || target.path().isRoot() || repositories.find(target.repo()).isEmpty()) {
            return null;
        }

        String ip = clients.resolve(request);
        PresentedCredentials pc = new PresentedCredentials(authorization, accessKey, authToken, authUserId, circleToken,
                ip);
        AuthResult result;
        if (request.getAttribute(Guard.AUTH_RESULT) instanceof AuthResult earlier) {
            result = earlier; // a second try, after the first would have waited past authentication
        } else {
            try {
                result = guard.authenticator().authenticate(pc);
            } catch (MemoryOnly.WouldWait w) {
                throw w;
            } catch (RuntimeException e) {
                return null; // e.g. the database is down: the router reports it
            }
            // whatever happens next, the guard must not authenticate this request a second time
            request.setAttribute(Guard.AUTH_RESULT, result);
        }
        if (!(result instanceof AuthResult.Accepted accepted)) {
            return null;
        }
        Caller caller = accepted.caller();
        ByteBuffer content;
        FileRecord file;
        try {
            if (!access.allows(caller, Action.READ, target.repo(), target.path())) {
                return null;
            }
            Optional<FileRecord> found = artifacts.find(target.repo(), target.path());
            if (found.isEmpty()) {
                return null;
            }
            file = found.get();
            content = artifacts.smallContent(file);
            if (content == null) {
                return null; // large files go out of memory-mapped regions, on the router's path
            }
        } catch (MemoryOnly.WouldWait w) {
            throw w;
        } catch (RuntimeException e) {
            return null;
        }

        // queued (never written) on the request thread, as the router's path does once the file is
        // sent; first, because it is the last thing that might still have to wait
        audit.read(ip, userAgent, caller, target.repo(), target.path().toString(), 200);
        request.setAttribute(RequestRecorder.ROUTE, ROUTE);
        RequestRecorder.authenticated(request::setAttribute, pc, result);
        response.setStatus(200);
        HttpFields.Mutable out = response.getHeaders();
        for (HttpField h : FileHeaders.of(file)) {
            out.add(h);
        }
        out.put(HttpHeader.CONTENT_LENGTH, content.remaining());
        return content;
    }

    /** Writes what {@link #prepare} returned. */
    void send(Response response, ByteBuffer content, Callback callback) {
        response.write(true, content, callback);
        served.increment();
    }
}
