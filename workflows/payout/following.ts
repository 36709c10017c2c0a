/**
 * How a payout is followed at LianLian, the same for an order's payout and a demand redemption's:
 * which results are final, how often and how long to ask, and how long a success is watched.
 */

/** How often to ask LianLian when its notification has not come. */
export const PAYOUT_QUERY_INTERVAL = '10 minutes';
/** Queries before an unknown payout is handed to an operator: 7 days of asking every 10 minutes. */
export const MAX_PAYOUT_QUERIES = 7 * 24 * 6;
/** Malformed answers in a row before people must look at LianLian's contract. */
export const MAX_MALFORMED_ANSWERS = 3;
/** How long after success a bank reversal (CANCEL) is still watched for; LianLian is asked once a day. */
export const REVERSAL_WATCH_DAYS = 30;
/** LianLian's payout results after which nothing changes but a bank's reversal of a SUCCESS. */
export const FINAL_RESULTS: ReadonlySet<string> = new Set(['SUCCESS', 'FAILURE', 'CLOSED', 'CANCEL']);
