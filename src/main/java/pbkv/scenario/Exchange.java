package pbkv.scenario;

/**
 * One HTTP request to a node and what came back: {@code status} 0 when no answer arrived
 * ({@code error} says why). Times are {@code System.nanoTime()}, the history's clock.
 */
record Exchange(String method, String url, String requestBody, int status, String etag, String responseBody,
                String error, long invokeNanos, long completeNanos) {

    boolean answered() {
        return status != 0;
    }

    /** A refused connection reached no node: the request certainly did not apply. */
    boolean refused() {
        return error != null && error.contains("ConnectException");
    }

    long millis() {
        return (completeNanos - invokeNanos) / 1_000_000;
    }

    /** The version an ETag carries ({@code "7"} is 7), or null. */
    String version() {
        return etag == null ? null : etag.replace("\"", "").replace("W/", "");
    }

    /** The command a person could type for the same request. */
    String curl() {
        String data = requestBody == null ? "" : " -d '" + requestBody + "'";
        return "curl -s -i -X " + method + data + " '" + url + "'";
    }

    /** One line for the report: the request and the answer, shortened. */
    String summary() {
        String answer = answered() ? status + (etag == null ? "" : " ETag " + etag) + shorten(responseBody)
                : "no answer (" + error + ")";
        return method + " " + url + (requestBody == null ? "" : " body=" + requestBody) + " -> " + answer
                + " in " + millis() + " ms";
    }

    private static String shorten(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String flat = body.replaceAll("\\s+", " ");
        return " " + (flat.length() > 120 ? flat.substring(0, 117) + "..." : flat);
    }
}
