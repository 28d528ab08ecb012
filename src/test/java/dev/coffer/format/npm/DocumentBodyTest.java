package dev.coffer.format.npm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.common.CofferException;
import dev.coffer.common.Failure;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DocumentBodyTest {
    @TempDir
    Path tmp;

    private static InputStream in(String json) {
        return new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String attachment(String data) {
        return "{\"name\":\"a\",\"_attachments\":{\"a-1.0.0.tgz\":"
                + "{\"content_type\":\"application/octet-stream\",\"data\":\"" + data + "\",\"length\":3}}}";
    }

    private long leftovers() throws IOException {
        try (Stream<Path> files = Files.list(tmp)) {
            return files.count();
        }
    }

    private void refused(String json, String code, String message) throws IOException {
        assertThatThrownBy(() -> DocumentBody.read(in(json), 1 << 20, tmp))
                .isInstanceOfSatisfying(CofferException.class, e -> {
                    assertThat(e.failure().code()).isEqualTo(code);
                    assertThat(e.failure().message()).contains(message);
                });
        assertThat(leftovers()).as("temporary files left").isZero();
    }

    @Test
    void theAttachmentIsDecodedToAFileWithItsDigestsAndTheRestIsTheDocument() throws Exception {
        byte[] tgz = new byte[300_000];
        new Random(7).nextBytes(tgz);
        String b64 = Base64.getMimeEncoder().encodeToString(tgz).replace("\r\n", "\\n");
        Path file;
        try (DocumentBody body = DocumentBody.read(in(attachment(b64)), 1 << 20, tmp)) {
            DocumentBody.Tarball t = body.tarball();
            file = t.file();
            assertThat(Files.readAllBytes(file)).isEqualTo(tgz);
            assertThat(t.size()).isEqualTo(tgz.length);
            assertThat(t.sha1())
                    .isEqualTo(HexFormat.of()
                            .formatHex(MessageDigest.getInstance("SHA-1").digest(tgz)));
            assertThat(t.sha512())
                    .isEqualTo(Base64.getEncoder()
                            .encodeToString(MessageDigest.getInstance("SHA-512").digest(tgz)));
            assertThat(body.document().toString())
                    .isEqualTo("{\"name\":\"a\",\"_attachments\":{\"a-1.0.0.tgz\":"
                            + "{\"content_type\":\"application/octet-stream\",\"length\":3}}}");
            assertThat(Publication.isPublish(body.document())).isTrue();
        }
        assertThat(file).doesNotExist();
    }

    @Test
    void aDocumentWithoutAttachmentsHasNoTarball() throws Exception {
        try (DocumentBody body = DocumentBody.read(in("{\"name\":\"a\",\"versions\":{}}"), 100, tmp)) {
            assertThat(body.tarball()).isNull();
            assertThat(body.document().path("versions").isObject()).isTrue();
        }
    }

    @Test
    void badBodiesAreRefusedAndLeaveNoFile() throws Exception {
        refused(attachment("AAA!"), "body_invalid", "not base64");
        refused(
                "{\"_attachments\":{\"a\":{\"data\":\"AAAA\"},\"b\":{\"data\":\"AAAA\"}}}",
                "body_invalid",
                "exactly one tarball");
        refused("{\"_attachments\":{\"a\":{\"data\":\"AAAA\",\"data\":\"AAAA\"}}}", "body_invalid", "more than once");
        refused("{\"_attachments\":{\"a\":{\"data\":\"AAAA\"},\"a\":{}}}", "body_invalid", "more than once");
        refused("{\"name\":\"a\",\"name\":\"b\"}", "body_invalid", "more than once");
        refused("{\"_attachments\":{\"a\":{\"data\":7}}}", "body_invalid", "must be base64 text");
        refused("{\"_attachments\":{\"a\":[]}}", "body_invalid", "must be an object");
        refused("[1]", "body_invalid", "must be a JSON object");
        refused("{\"a\":1} {}", "body_invalid", "content after");
        refused("{\"a\":", "body_invalid", "not valid JSON");
        refused(attachment("AAAA") + "x", "body_invalid", "not valid JSON");
    }

    @Test
    void aBodyPastItsLimitIsRefusedWhereverItsEndWouldBe() throws Exception {
        byte[] tgz = new byte[200_000];
        String json = attachment(Base64.getEncoder().encodeToString(tgz));
        assertThatThrownBy(() -> DocumentBody.read(in(json), 100_000, tmp))
                .isInstanceOfSatisfying(
                        CofferException.class, e -> assertThat(e.failure()).isInstanceOf(Failure.TooLarge.class));
        assertThat(leftovers()).isZero();
        // endless: the limit stops the read, not the end of the stream
        InputStream endless = new SequenceInputStream(in("{\"readme\":\""), new InputStream() {
            @Override
            public int read() {
                return 'x';
            }
        });
        assertThatThrownBy(() -> DocumentBody.read(endless, 100_000, tmp))
                .isInstanceOfSatisfying(
                        CofferException.class, e -> assertThat(e.failure()).isInstanceOf(Failure.TooLarge.class));
    }
}
