package dev.coffer.format.npm;

import com.fasterxml.jackson.core.Base64Variant;
import com.fasterxml.jackson.core.Base64Variants;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.common.CofferException;
import dev.coffer.common.Failure;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A package document as npm PUTs it (a publish, a deprecation, an unpublish of one version), read
 * as a stream. An attachment's base64 {@code data} is decoded into a temporary file as it arrives
 * and hashed on the way, so a publish never holds its tarball in memory: the body, its base64 text
 * and the decoded bytes together were about five times the tarball, and a 16 MiB publish ran a
 * 256 MiB server out of heap. Everything else becomes {@link #document()}, where
 * {@code _attachments} keeps each entry's other fields (so a publish is still recognised there).
 */
public final class DocumentBody implements AutoCloseable {
    /** npm pads its base64; whitespace between characters is skipped either way. */
    private static final Base64Variant BASE64 =
            Base64Variants.MIME_NO_LINEFEEDS.withReadPadding(Base64Variant.PaddingReadBehaviour.PADDING_ALLOWED);

    /** A decoded attachment: its temporary file, size and digests (sha1 hex, sha512 base64). */
    public record Tarball(Path file, long size, String sha1, String sha512) {}

    private final ObjectNode document;
    private final Path tmp;
    private Tarball tarball;

    private DocumentBody(ObjectNode document, Path tmp) {
        this.document = document;
        this.tmp = tmp;
    }

    public ObjectNode document() {
        return document;
    }

    /** The attachment's bytes, or null when no attachment carried {@code data}. */
    public Tarball tarball() {
        return tarball;
    }

    /**
     * Reads a JSON object of at most {@code limit} bytes; a key given twice, trailing content, or
     * more than one attachment with data is refused (400 body_invalid), a longer body 413.
     */
    public static DocumentBody read(InputStream in, long limit) {
        return read(in, limit, Path.of(System.getProperty("java.io.tmpdir")));
    }

    /** As {@link #read(InputStream, long)}, the attachment's file in {@code tmp}. */
    public static DocumentBody read(InputStream in, long limit, Path tmp) {
        DocumentBody body = new DocumentBody(Packument.MAPPER.createObjectNode(), tmp);
        try (JsonParser p = Packument.MAPPER.createParser(new Limited(in, limit))) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw CofferException.invalid("body_invalid", "the request body must be a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                if (p.nextToken() == JsonToken.START_OBJECT && field.equals("_attachments")) {
                    body.document.set(field, body.attachments(p));
                } else {
                    body.document.set(field, p.readValueAsTree());
                }
            }
            if (p.nextToken() != null) {
                throw CofferException.invalid("body_invalid", "the request body has content after its JSON object");
            }
            return body;
        } catch (TooLargeBody e) {
            body.close();
            throw tooLarge(limit);
        } catch (IOException e) {
            body.close();
            throw unreadable(e);
        } catch (RuntimeException e) {
            body.close();
            throw e;
        }
    }

    /** 413: the body is over {@code limit}. */
    public static CofferException tooLarge(long limit) {
        return new CofferException(new Failure.TooLarge(
                "too_large", "the request body is larger than the npm registry's limit of " + limit + " bytes"));
    }

    /** 400 body_invalid for a body that could not be read or parsed, naming a repeated key as such. */
    public static CofferException unreadable(IOException e) {
        if (e instanceof JsonParseException p
                && Objects.requireNonNullElse(p.getOriginalMessage(), "").startsWith("Duplicate ")) {
            return CofferException.invalid("body_invalid", "the request body has a field more than once");
        }
        return CofferException.invalid(
                "body_invalid",
                e instanceof JsonProcessingException
                        ? "the request body is not valid JSON"
                        : "the request body could not be read");
    }

    /** {@code _attachments}: each entry's fields but {@code data}, which is decoded to a file. */
    private ObjectNode attachments(JsonParser p) throws IOException {
        ObjectNode out = document.objectNode();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String file = p.currentName();
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw CofferException.invalid("body_invalid", "'_attachments." + file + "' must be an object");
            }
            ObjectNode entry = out.objectNode();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (!field.equals("data")) {
                    entry.set(field, p.readValueAsTree());
                    continue;
                }
                if (value != JsonToken.VALUE_STRING) {
                    throw CofferException.invalid("body_invalid", "the attachment's 'data' must be base64 text");
                }
                if (tarball != null) {
                    throw CofferException.invalid("body_invalid", "'_attachments' must hold exactly one tarball");
                }
                tarball = decode(p, tmp);
            }
            out.set(file, entry);
        }
        return out;
    }

    private static Tarball decode(JsonParser p, Path tmp) throws IOException {
        Path file = Files.createTempFile(tmp, "coffer-npm-", ".tgz");
        MessageDigest sha1 = digest("SHA-1");
        MessageDigest sha512 = digest("SHA-512");
        try (OutputStream out = new DigestOutputStream(
                new DigestOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(file), 65536), sha1),
                sha512)) {
            int size = p.readBinaryValue(BASE64, out);
            out.flush();
            return new Tarball(
                    file,
                    size,
                    HexFormat.of().formatHex(sha1.digest()),
                    Base64.getEncoder().encodeToString(sha512.digest()));
        } catch (JsonParseException | IllegalArgumentException e) {
            // Jackson reports a character outside the alphabet as IllegalArgumentException
            Files.deleteIfExists(file);
            if (e.getCause() instanceof TooLargeBody t) {
                throw t;
            }
            throw CofferException.invalid("body_invalid", "the attachment's 'data' is not base64");
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Deletes the attachment's temporary file. */
    @Override
    public void close() {
        if (tarball != null) {
            try {
                Files.deleteIfExists(tarball.file());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            tarball = null;
        }
    }

    /** The body past its limit. */
    private static final class TooLargeBody extends IOException {
        TooLargeBody() {
            super("body over its limit");
        }
    }

    /** Fails once more than {@code limit} bytes were read, whatever Content-Length said. */
    private static final class Limited extends FilterInputStream {
        private long left;

        Limited(InputStream in, long limit) {
            super(in);
            this.left = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0 && --left < 0) {
                throw new TooLargeBody();
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0 && (left -= n) < 0) {
                throw new TooLargeBody();
            }
            return n;
        }
    }
}
