package dev.coffer.http;

import dev.coffer.artifact.FileRecord;
import dev.coffer.remote.Delivery;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The response, for a remote repository's file sent while it is fetched and cached (read directly
 * or through a virtual repository): its headers once the upstream has answered.
 */
final class StreamedDelivery implements Delivery {
    private final Context ctx;
    private final String name;
    private final Consumer<FileRecord> whenCached;
    private volatile boolean begun;

    private StreamedDelivery(Context ctx, String name, Consumer<FileRecord> whenCached) {
        this.ctx = ctx;
        this.name = name;
        this.whenCached = whenCached;
    }

    /**
     * A delivery for a plain GET; null for anything else (HEAD, ranges and conditional requests are
     * answered from the cache once the file is stored).
     *
     * @param name the file's name (its content type)
     * @param whenCached told (with the cached file) once the file is verified and cached, before
     *     its last bytes are sent (so the fetch is audited before the client can have all of it)
     */
    static StreamedDelivery forPlainGet(Context ctx, String name, Consumer<FileRecord> whenCached) {
        boolean plain = ctx.method() == HandlerType.GET
                && ctx.header("Range") == null
                && ctx.header("If-None-Match") == null
                && ctx.header("If-Modified-Since") == null;
        return plain ? new StreamedDelivery(ctx, name, Objects.requireNonNull(whenCached)) : null;
    }

    /** True once the response has started: a failure can then only cut it off, not answer an error. */
    static boolean begun(StreamedDelivery d) {
        return d != null && d.begun;
    }

    @Override
    public OutputStream begin(long size, String sha1) throws IOException {
        begun = true;
        ctx.status(200);
        ctx.contentType(FileHeaders.contentType(name));
        if (size >= 0) {
            ctx.header("Content-Length", String.valueOf(size));
        }
        if (sha1 != null) {
            ctx.header("X-Checksum-Sha1", sha1);
        }
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Content-Security-Policy", "sandbox");
        return ctx.res().getOutputStream();
    }

    @Override
    public void cached(FileRecord file) {
        whenCached.accept(file);
    }

    /** Closes the connection under the response: the client sees it end before its last bytes. */
    @Override
    public void abort(Throwable cause) {
        begun = true;
        Exchange.of(ctx).getConnectionMetaData().getConnection().getEndPoint().close(cause);
    }
}
