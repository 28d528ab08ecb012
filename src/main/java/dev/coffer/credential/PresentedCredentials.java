package dev.coffer.credential;

/**
 * The raw credential headers of one request, exactly as sent (null when absent). The HTTP layer
 * only copies headers here; deciding what they mean is the Authenticator's job.
 */
public record PresentedCredentials(String authorization, String accessKey, String authToken, String authUserId,
        String circleToken, String clientAddress) {
    public boolean isEmpty() {
        return authorization == null && accessKey == null && authToken == null && authUserId == null
                && circleToken == null;
    }

    @Override
    public String toString() {
        // never print the values: they are secrets
        return "PresentedCredentials[redacted]";
    }
}
