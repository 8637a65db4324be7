import { Inject, Injectable } from '@nestjs/common';
import { lookup } from 'node:dns/promises';
import type { LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { networkInterfaces } from 'node:os';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { addressRefusal, nameRefusal, TargetPolicy, urlHost } from './domain/webhook-target';

/** A webhook endpoint that may not be called; `message` says why. Final: retrying would not help. */
export class WebhookRefused extends Error {}

/**
 * Applies the webhook target rules to real addresses: at creation (the URL's literal address, or what
 * its name resolves to now) and at delivery, inside the connection's DNS lookup, so the socket goes to
 * an address that was checked and a name re-pointed after the check (DNS rebinding) cannot slip by.
 */
@Injectable()
export class WebhookAddressGuard {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** DNS for webhook hosts (the system resolver, /etc/hosts included). Tests replace it to re-point names. */
  resolve(hostname: string): Promise<LookupAddress[]> {
    return lookup(hostname, { all: true, verbatim: true });
  }

  /** Why the URL may not be a webhook endpoint, or null. A name that does not resolve yet is accepted (checked at delivery). */
  async refusalAtCreation(url: string): Promise<string | null> {
    const { host, literal } = urlHost(url);
    if (literal) return addressRefusal(host, this.policy());
    const byName = nameRefusal(host, this.policy());
    if (byName) return byName;
    const addresses = await this.resolve(host).catch(() => []);
    const reason = this.firstRefusal(addresses.map((a) => a.address));
    return reason && `${host} resolves to a refused address: ${reason}`;
  }

  /** Throws WebhookRefused when the URL's literal address or localhost name is refused (names are checked by `lookup`). */
  assertUrl(url: string): void {
    const { host, literal } = urlHost(url);
    const reason = literal ? addressRefusal(host, this.policy()) : nameRefusal(host, this.policy());
    if (reason) throw new WebhookRefused(reason);
  }

  /**
   * A `lookup` for http(s) agents: resolves, refuses the name if any of its addresses is refused, and
   * hands the socket only the addresses it checked.
   */
  readonly lookup: LookupFunction = (hostname, options, callback) => {
    this.checkedAddresses(hostname).then(
      (addresses) => {
        const family = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : options.family;
        const usable = family ? addresses.filter((a) => a.family === family) : addresses;
        if (usable.length === 0) return callback(Object.assign(new Error(`${hostname} has no IPv${family} address`), { code: 'ENOTFOUND' }), '', 0);
        if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, usable);
        callback(null, usable[0].address, usable[0].family);
      },
      (error: NodeJS.ErrnoException) => callback(error, '', 0),
    );
  };

  private async checkedAddresses(hostname: string): Promise<LookupAddress[]> {
    const host = hostname.replace(/^\[|\]$/g, '');
    const byName = nameRefusal(host.toLowerCase(), this.policy());
    if (byName) throw new WebhookRefused(byName);
    const addresses = await this.resolve(host);
    const reason = this.firstRefusal(addresses.map((a) => a.address));
    if (reason) throw new WebhookRefused(`${host} resolves to a refused address: ${reason}`);
    return addresses;
  }

  private firstRefusal(addresses: string[]): string | null {
    const policy = this.policy();
    for (const address of addresses) {
      const reason = addressRefusal(address, policy);
      if (reason) return reason;
    }
    return null;
  }

  /** Read on each check: interfaces come and go (containers, VPNs, DHCP). */
  private policy(): TargetPolicy {
    const ownAddresses = Object.values(networkInterfaces()).flatMap((list) => (list ?? []).map((i) => i.address));
    return { ownAddresses, allowPrivate: this.config.webhookAllowPrivate };
  }
}
