package dev.coffer.blob.s3;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The one distinction the store draws among SDK failures: a missing object is NotFound
 * (StorageFailures.missing), anything else is an outage (StorageFailures.unavailable), never
 * disguised as absence.
 */
final class S3Errors {
    private S3Errors() {}

    static boolean isNotFound(SdkException e) {
        return e instanceof NoSuchKeyException || (e instanceof S3Exception s && s.statusCode() == 404);
    }
}
