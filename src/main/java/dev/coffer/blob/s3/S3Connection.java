package dev.coffer.blob.s3;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * Connection settings of an S3-compatible store, and the client made from them. Empty keys: the
 * SDK's default credential chain. Kept apart from {@link S3BlobStore}, which takes any client (the
 * tests hand it one of their own).
 */
public record S3Connection(
        String endpoint, String region, String bucket, boolean pathStyle, String accessKey, String secretKey) {
    public S3Connection {
        Objects.requireNonNull(bucket, "bucket");
    }

    /**
     * A synchronous client over Apache HttpClient. Checksums are sent and checked only where the
     * API requires them: S3-compatible servers (MinIO, Ceph, s3proxy) differ in support of the
     * newer default checksums, and every blob is verified by its SHA-256 anyway.
     */
    public S3Client client() {
        AwsCredentialsProvider credentials = isBlank(accessKey) && isBlank(secretKey)
                ? DefaultCredentialsProvider.builder().build()
                : StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey));
        S3ClientBuilder b = S3Client.builder()
                .credentialsProvider(credentials)
                .forcePathStyle(pathStyle)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClientBuilder(ApacheHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(5))
                        .socketTimeout(Duration.ofSeconds(60))
                        .maxConnections(64));
        if (!isBlank(region)) {
            b.region(Region.of(region));
        }
        if (!isBlank(endpoint)) {
            b.endpointOverride(URI.create(endpoint));
        }
        return b.build();
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    /** Never the keys: this string reaches logs and start-up messages. */
    @Override
    public String toString() {
        return "S3[endpoint=" + endpoint + ", region=" + region + ", bucket=" + bucket + ", pathStyle=" + pathStyle
                + "]";
    }
}
