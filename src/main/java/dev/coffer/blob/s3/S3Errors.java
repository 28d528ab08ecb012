package dev.coffer.blob.s3;

import dev.coffer.common.CofferException;
import dev.coffer.common.Failure;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The one distinction the store draws among SDK failures: a missing object is NotFound, anything
 * else is an outage (StorageFailures.unavailable), never disguised as absence.
 */
final class S3Errors {
    private S3Errors() {}

    static boolean isNotFound(SdkException e) {
        return e instanceof NoSuchKeyException || (e instanceof S3Exception s && s.statusCode() == 404);
    }

    static CofferException missing(String sha256) {
        return new CofferException(new Failure.NotFound("blob_missing", "blob " + sha256 + " is missing from storage"));
    }
}
