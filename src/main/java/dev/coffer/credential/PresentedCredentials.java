package dev.coffer.credential;

/**
 * The raw credential headers of one request, exactly as sent (null when absent). The HTTP layer
 * only copies headers here; deciding what they mean is the Authenticator's job.
 *
 * @param repeated the name of a credential header the request carries more than once, or null: a
 *     proxy or log that reads another copy than we would sees another identity, so such a request
 *     is ambiguous whatever the values are
 */
public record PresentedCredentials(String authorization, String accessKey, String authToken, String authUserId,
        String circleToken, String clientAddress, String repeated) {

    public PresentedCredentials(String authorization, String accessKey, String authToken, String authUserId,
            String circleToken, String clientAddress) {
        this(authorization, accessKey, authToken, authUserId, circleToken, clientAddress, null);
    }

    public boolean isEmpty() {
        return authorization == null && accessKey == null && authToken == null && authUserId == null
                && circleToken == null && repeated == null;
    }

    @Override
    public String toString() {
        // never print the values: they are secrets
        return "PresentedCredentials[redacted]";
    }
}
