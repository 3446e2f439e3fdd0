// Tests that make the app fetch a URL (Open311 media_url, photos) must never reach the internet:
// only this machine answers, and nock's interceptors stand in for everything else.
import nock from "nock";

export function localNetworkOnly(): void {
  nock.disableNetConnect();
  nock.enableNetConnect(/127\.0\.0\.1|localhost/);
}

export function restoreNetwork(): void {
  nock.cleanAll();
  nock.enableNetConnect();
}
