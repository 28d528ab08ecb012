package dev.coffer.http;

import dev.coffer.admission.Admission;
import dev.coffer.admission.RepoTarget;
import dev.coffer.admission.Result;
import dev.coffer.artifact.ArtifactService;
import dev.coffer.artifact.FileRecord;
import dev.coffer.common.MemoryOnly;
import dev.coffer.credential.Caller;
import dev.coffer.remote.RemoteRepositories;
import dev.coffer.repository.Repository;
import dev.coffer.repository.RepositoryService;
import dev.coffer.virtual.Resolution;
import dev.coffer.virtual.VirtualResolver;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The common download, served by Jetty itself in front of the router: a plain GET of a small file
 * that exists and that the caller may read. Servlet and router cost about as much CPU as the
 * whole rest of such a request, and builds fetch thousands of them.
 *
 * <p>It is admitted as the router admits it: by {@link Admission}, with the very requirement of the
 * content route ({@link ContentRoutes#READ}), on the same {@link Exchange}. It takes a request only
 * when the outcome is a 200 with the file, of a local repository or a remote one's cached content
 * file (never a remote's metadata, which must be revalidated first), directly or as the member
 * that answers a virtual repository's download ({@link FastVirtualReads}). Everything else (a rejected or denied caller, a missing
 * file, a folder, ranges, conditional requests, HEAD, odd paths, any failure) goes on to the
 * router unchanged, which admits it again from the exchange's {@link dev.coffer.admission.Ticket}:
 * authentication has side effects (lockout counts, last use) and runs once.
 */
public final class FastDownloads {
    private static final String ROUTE = "/repository/{repo}/<path>";

    private final Admission admission;
    private final ArtifactService artifacts;
    private final RepositoryService repositories;
    private final AuditTrail audit;
    private final RemoteRepositories remote;
    private final FastVirtualReads virtuals;
    private final java.util.concurrent.atomic.LongAdder served = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder handedOff = new java.util.concurrent.atomic.LongAdder();

    /**
     * @param remote says which cached files of a remote repository may be served as they are
     * @param virtuals the router's resolver of virtual repositories' members
     */
    public FastDownloads(
            Admission admission,
            ArtifactService artifacts,
            RepositoryService repositories,
            AuditTrail audit,
            RemoteRepositories remote,
            VirtualResolver virtuals) {
        this.admission = Objects.requireNonNull(admission);
        this.artifacts = Objects.requireNonNull(artifacts);
        this.repositories = Objects.requireNonNull(repositories);
        this.audit = Objects.requireNonNull(audit);
        this.remote = Objects.requireNonNull(remote);
        this.virtuals = new FastVirtualReads(virtuals, remote);
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
    boolean serve(Exchange exchange, Response response, Callback callback) {
        ByteBuffer content = prepare(exchange, response);
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
    ByteBuffer prepare(Exchange exchange, Response response) {
        if (!"GET".equals(exchange.getMethod())) {
            return null;
        }
        String rawPath = exchange.rawPath();
        if (rawPath == null
                || !rawPath.startsWith(Guard.REPOSITORY_PREFIX)
                || rawPath.indexOf(';') >= 0
                || rawPath.endsWith("/")) {
            return null;
        }
        // a request with any header that makes the answer other than a plain 200 goes to the router
        String userAgent = null;
        for (HttpField f : exchange.getHeaders()) {
            HttpHeader known = f.getHeader();
            if (known != null) {
                switch (known) {
                    case RANGE, IF_RANGE, IF_NONE_MATCH, IF_MODIFIED_SINCE -> {
                        return null;
                    }
                    case USER_AGENT -> userAgent = userAgent == null ? f.getValue() : userAgent;
                    default -> {}
                }
            }
        }
        Result result;
        try {
            // the router refuses these before it admits anything (HttpServer's before-handler)
            HttpServer.rejectMalformedEscapes(rawPath);
            result = admission.admit(exchange, ContentRoutes.READ);
        } catch (MemoryOnly.WouldWait w) {
            throw w;
        } catch (RuntimeException e) {
            return null; // e.g. the database is down: the router reports it
        }
        if (!(result instanceof Result.Admitted admitted) || !admitted.targetAllowed()) {
            return null; // the router answers, and audits, the refusal
        }
        RepoTarget target = admitted.target().orElseThrow();
        Caller caller = admitted.caller();
        ByteBuffer content;
        FileRecord file;
        Repository repo;
        try {
            if (target.trailingSlash() || target.path().isRoot()) {
                return null;
            }
            Repository named = repositories.find(target.repo()).orElse(null);
            if (named == null) {
                return null;
            }
            if (named.isVirtual()) {
                // a member's file, as the router's virtual read picks it; a virtual repository
                // has no files of its own
                Optional<Resolution.Hit> hit = virtuals.answer(named, caller, target.path());
                if (hit.isEmpty()) {
                    return null;
                }
                repo = hit.get().member();
                file = hit.get().file();
            } else {
                // a remote's metadata is revalidated and its paths filtered (the router's path)
                if (!remote.servableAsCached(named, target.path())) {
                    return null;
                }
                Optional<FileRecord> found = artifacts.find(target.repo(), target.path());
                if (found.isEmpty()) {
                    return null;
                }
                repo = named;
                file = found.get();
            }
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
        // sent; first, because it is the last thing that might still have to wait. Under the
        // repository that holds the file: through a virtual repository, the member that answered
        audit.read(
                exchange.clientAddress(),
                userAgent,
                caller,
                repo.name(),
                file.path().toString(),
                200);
        remote.servedFromCache(repo);
        exchange.matched(ROUTE, Map.of());
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
        // counted first: once the write completes, a client may read the meter before a later increment
        served.increment();
        response.write(true, content, callback);
    }
}
