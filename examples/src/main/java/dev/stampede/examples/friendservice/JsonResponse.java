package dev.stampede.examples.friendservice;

/**
 * What a handler answers: an HTTP status and a body that Jackson writes as JSON.
 *
 * @param status the HTTP status code
 * @param body any value Jackson can serialize (a record, a list, a map)
 */
record JsonResponse(int status, Object body) {}
