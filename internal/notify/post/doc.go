// Package post delivers one alert body to one webhook URL, once, and says
// whether a failure is worth retrying. It is the single place where the retry
// policy of monitord's notifiers lives: 2xx is done; 408, 429, 5xx and network
// errors are retried (with the receiver's Retry-After when it gives one);
// every other status is permanent.
//
// Webhook URLs are credentials (the path is the key), so nothing here ever
// puts more than the scheme and host of one into an error. The package does
// not loop or sleep: the delivery worker owns retries and backoff.
package post
