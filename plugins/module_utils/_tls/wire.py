# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scs.secure_connections contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""TLS on the wire, built and parsed by hand (no dependence on what the local OpenSSL can speak).

* Registries: protocol versions, every IANA cipher suite (with OpenSSL names where OpenSSL has
  one), SSLv2 cipher specs, named groups (names as in the Mozilla guidelines where one exists),
  signature algorithms.
* Builders: TLS ClientHello records (SSLv3 .. TLS 1.3) and the SSLv2 CLIENT-HELLO.
* Parsers: the record layer (TLS and SSLv2 framing), ServerHello / HelloRetryRequest, Certificate
  (TLS 1.2 and 1.3), CertificateStatus, ServerKeyExchange, Alert, the SSLv2 SERVER-HELLO.
* A TLS 1.3 handshake-key schedule (RFC 8446 section 7) so the encrypted server flight can be
  read without finishing the handshake; it needs ``cryptography`` for ECDH and the AEADs.

Only the standard library is needed for everything but the TLS 1.3 decryption.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import hmac
import os
import struct

# --------------------------------------------------------------------------------------------
# Protocol versions
# --------------------------------------------------------------------------------------------

SSL2, SSL3, TLS10, TLS11, TLS12, TLS13 = 0x0002, 0x0300, 0x0301, 0x0302, 0x0303, 0x0304
VERSION_NAMES = {SSL2: 'SSLv2', SSL3: 'SSLv3', TLS10: 'TLSv1.0', TLS11: 'TLSv1.1', TLS12: 'TLSv1.2', TLS13: 'TLSv1.3'}
VERSION_ORDER = ('SSLv2', 'SSLv3', 'TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3')

# Content types
CT_CCS, CT_ALERT, CT_HANDSHAKE, CT_APPDATA, CT_HEARTBEAT = 20, 21, 22, 23, 24
# Handshake types
HT_CLIENT_HELLO, HT_SERVER_HELLO, HT_NEW_SESSION_TICKET, HT_ENCRYPTED_EXTENSIONS = 1, 2, 4, 8
HT_CERTIFICATE, HT_SERVER_KEY_EXCHANGE, HT_CERTIFICATE_REQUEST, HT_SERVER_HELLO_DONE = 11, 12, 13, 14
HT_CERTIFICATE_VERIFY, HT_CLIENT_KEY_EXCHANGE, HT_FINISHED, HT_CERTIFICATE_STATUS = 15, 16, 20, 22

# Extensions
EXT_SERVER_NAME, EXT_STATUS_REQUEST, EXT_SUPPORTED_GROUPS, EXT_EC_POINT_FORMATS = 0, 5, 10, 11
EXT_SIGNATURE_ALGORITHMS, EXT_HEARTBEAT, EXT_ALPN, EXT_EXTENDED_MASTER_SECRET = 13, 15, 16, 23
EXT_SESSION_TICKET, EXT_SUPPORTED_VERSIONS, EXT_PSK_KEY_EXCHANGE_MODES, EXT_KEY_SHARE = 35, 43, 45, 51
EXT_RENEGOTIATION_INFO = 0xFF01
EXT_COOKIE = 44

SCSV_EMPTY_RENEGOTIATION_INFO = 0x00FF
SCSV_FALLBACK = 0x5600
GREASE = 0x0A0A

# The random of a HelloRetryRequest (RFC 8446 4.1.3): SHA-256("HelloRetryRequest")
HRR_RANDOM = bytes.fromhex('CF21AD74E59A6111BE1D8C021E65B891C2A211167ABB8C5E079E09E2C8A8339C')

ALERT_DESCRIPTIONS = {
    0: 'close_notify', 10: 'unexpected_message', 20: 'bad_record_mac', 21: 'decryption_failed', 22: 'record_overflow',
    30: 'decompression_failure', 40: 'handshake_failure', 41: 'no_certificate', 42: 'bad_certificate',
    43: 'unsupported_certificate', 44: 'certificate_revoked', 45: 'certificate_expired', 46: 'certificate_unknown',
    47: 'illegal_parameter', 48: 'unknown_ca', 49: 'access_denied', 50: 'decode_error', 51: 'decrypt_error',
    60: 'export_restriction', 70: 'protocol_version', 71: 'insufficient_security', 80: 'internal_error',
    86: 'inappropriate_fallback', 90: 'user_canceled', 100: 'no_renegotiation', 109: 'missing_extension',
    110: 'unsupported_extension', 111: 'certificate_unobtainable', 112: 'unrecognized_name',
    113: 'bad_certificate_status_response', 114: 'bad_certificate_hash_value', 115: 'unknown_psk_identity',
    116: 'certificate_required', 120: 'no_application_protocol',
}


class WireError(ValueError):
    """Bytes that do not parse as what they claim to be."""


# --------------------------------------------------------------------------------------------
# Cipher suites: "code IANA-name OpenSSL-name" ("-" where OpenSSL has no name for the suite).
# Built from the IANA TLS Cipher Suites registry plus the pre-standard suites old OpenSSL spoke
# (EXPORT1024, GOST, the draft ChaCha20 code points); SCSVs and TLS_NULL_WITH_NULL_NULL excluded.
# --------------------------------------------------------------------------------------------

_SUITE_TABLE = """
0001 TLS_RSA_WITH_NULL_MD5 NULL-MD5
0002 TLS_RSA_WITH_NULL_SHA NULL-SHA
0003 TLS_RSA_EXPORT_WITH_RC4_40_MD5 EXP-RC4-MD5
0004 TLS_RSA_WITH_RC4_128_MD5 RC4-MD5
0005 TLS_RSA_WITH_RC4_128_SHA RC4-SHA
0006 TLS_RSA_EXPORT_WITH_RC2_CBC_40_MD5 EXP-RC2-CBC-MD5
0007 TLS_RSA_WITH_IDEA_CBC_SHA IDEA-CBC-SHA
0008 TLS_RSA_EXPORT_WITH_DES40_CBC_SHA EXP-DES-CBC-SHA
0009 TLS_RSA_WITH_DES_CBC_SHA DES-CBC-SHA
000A TLS_RSA_WITH_3DES_EDE_CBC_SHA DES-CBC3-SHA
000B TLS_DH_DSS_EXPORT_WITH_DES40_CBC_SHA EXP-DH-DSS-DES-CBC-SHA
000C TLS_DH_DSS_WITH_DES_CBC_SHA DH-DSS-DES-CBC-SHA
000D TLS_DH_DSS_WITH_3DES_EDE_CBC_SHA DH-DSS-DES-CBC3-SHA
000E TLS_DH_RSA_EXPORT_WITH_DES40_CBC_SHA EXP-DH-RSA-DES-CBC-SHA
000F TLS_DH_RSA_WITH_DES_CBC_SHA DH-RSA-DES-CBC-SHA
0010 TLS_DH_RSA_WITH_3DES_EDE_CBC_SHA DH-RSA-DES-CBC3-SHA
0011 TLS_DHE_DSS_EXPORT_WITH_DES40_CBC_SHA EXP-EDH-DSS-DES-CBC-SHA
0012 TLS_DHE_DSS_WITH_DES_CBC_SHA EDH-DSS-DES-CBC-SHA
0013 TLS_DHE_DSS_WITH_3DES_EDE_CBC_SHA EDH-DSS-DES-CBC3-SHA
0014 TLS_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA EXP-EDH-RSA-DES-CBC-SHA
0015 TLS_DHE_RSA_WITH_DES_CBC_SHA EDH-RSA-DES-CBC-SHA
0016 TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA EDH-RSA-DES-CBC3-SHA
0017 TLS_DH_anon_EXPORT_WITH_RC4_40_MD5 EXP-ADH-RC4-MD5
0018 TLS_DH_anon_WITH_RC4_128_MD5 ADH-RC4-MD5
0019 TLS_DH_anon_EXPORT_WITH_DES40_CBC_SHA EXP-ADH-DES-CBC-SHA
001A TLS_DH_anon_WITH_DES_CBC_SHA ADH-DES-CBC-SHA
001B TLS_DH_anon_WITH_3DES_EDE_CBC_SHA ADH-DES-CBC3-SHA
001E TLS_KRB5_WITH_DES_CBC_SHA KRB5-DES-CBC-SHA
001F TLS_KRB5_WITH_3DES_EDE_CBC_SHA KRB5-DES-CBC3-SHA
0020 TLS_KRB5_WITH_RC4_128_SHA KRB5-RC4-SHA
0021 TLS_KRB5_WITH_IDEA_CBC_SHA KRB5-IDEA-CBC-SHA
0022 TLS_KRB5_WITH_DES_CBC_MD5 KRB5-DES-CBC-MD5
0023 TLS_KRB5_WITH_3DES_EDE_CBC_MD5 KRB5-DES-CBC3-MD5
0024 TLS_KRB5_WITH_RC4_128_MD5 KRB5-RC4-MD5
0025 TLS_KRB5_WITH_IDEA_CBC_MD5 KRB5-IDEA-CBC-MD5
0026 TLS_KRB5_EXPORT_WITH_DES_CBC_40_SHA EXP-KRB5-DES-CBC-SHA
0027 TLS_KRB5_EXPORT_WITH_RC2_CBC_40_SHA EXP-KRB5-RC2-CBC-SHA
0028 TLS_KRB5_EXPORT_WITH_RC4_40_SHA EXP-KRB5-RC4-SHA
0029 TLS_KRB5_EXPORT_WITH_DES_CBC_40_MD5 EXP-KRB5-DES-CBC-MD5
002A TLS_KRB5_EXPORT_WITH_RC2_CBC_40_MD5 EXP-KRB5-RC2-CBC-MD5
002B TLS_KRB5_EXPORT_WITH_RC4_40_MD5 EXP-KRB5-RC4-MD5
002C TLS_PSK_WITH_NULL_SHA PSK-NULL-SHA
002D TLS_DHE_PSK_WITH_NULL_SHA DHE-PSK-NULL-SHA
002E TLS_RSA_PSK_WITH_NULL_SHA RSA-PSK-NULL-SHA
002F TLS_RSA_WITH_AES_128_CBC_SHA AES128-SHA
0030 TLS_DH_DSS_WITH_AES_128_CBC_SHA DH-DSS-AES128-SHA
0031 TLS_DH_RSA_WITH_AES_128_CBC_SHA DH-RSA-AES128-SHA
0032 TLS_DHE_DSS_WITH_AES_128_CBC_SHA DHE-DSS-AES128-SHA
0033 TLS_DHE_RSA_WITH_AES_128_CBC_SHA DHE-RSA-AES128-SHA
0034 TLS_DH_anon_WITH_AES_128_CBC_SHA ADH-AES128-SHA
0035 TLS_RSA_WITH_AES_256_CBC_SHA AES256-SHA
0036 TLS_DH_DSS_WITH_AES_256_CBC_SHA DH-DSS-AES256-SHA
0037 TLS_DH_RSA_WITH_AES_256_CBC_SHA DH-RSA-AES256-SHA
0038 TLS_DHE_DSS_WITH_AES_256_CBC_SHA DHE-DSS-AES256-SHA
0039 TLS_DHE_RSA_WITH_AES_256_CBC_SHA DHE-RSA-AES256-SHA
003A TLS_DH_anon_WITH_AES_256_CBC_SHA ADH-AES256-SHA
003B TLS_RSA_WITH_NULL_SHA256 NULL-SHA256
003C TLS_RSA_WITH_AES_128_CBC_SHA256 AES128-SHA256
003D TLS_RSA_WITH_AES_256_CBC_SHA256 AES256-SHA256
003E TLS_DH_DSS_WITH_AES_128_CBC_SHA256 DH-DSS-AES128-SHA256
003F TLS_DH_RSA_WITH_AES_128_CBC_SHA256 DH-RSA-AES128-SHA256
0040 TLS_DHE_DSS_WITH_AES_128_CBC_SHA256 DHE-DSS-AES128-SHA256
0041 TLS_RSA_WITH_CAMELLIA_128_CBC_SHA CAMELLIA128-SHA
0042 TLS_DH_DSS_WITH_CAMELLIA_128_CBC_SHA DH-DSS-CAMELLIA128-SHA
0043 TLS_DH_RSA_WITH_CAMELLIA_128_CBC_SHA DH-RSA-CAMELLIA128-SHA
0044 TLS_DHE_DSS_WITH_CAMELLIA_128_CBC_SHA DHE-DSS-CAMELLIA128-SHA
0045 TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA DHE-RSA-CAMELLIA128-SHA
0046 TLS_DH_anon_WITH_CAMELLIA_128_CBC_SHA ADH-CAMELLIA128-SHA
0060 TLS_RSA_EXPORT1024_WITH_RC4_56_MD5 EXP1024-RC4-MD5
0061 TLS_RSA_EXPORT1024_WITH_RC2_CBC_56_MD5 EXP1024-RC2-CBC-MD5
0062 TLS_RSA_EXPORT1024_WITH_DES_CBC_SHA EXP1024-DES-CBC-SHA
0063 TLS_DHE_DSS_EXPORT1024_WITH_DES_CBC_SHA EXP1024-DHE-DSS-DES-CBC-SHA
0064 TLS_RSA_EXPORT1024_WITH_RC4_56_SHA EXP1024-RC4-SHA
0065 TLS_DHE_DSS_EXPORT1024_WITH_RC4_56_SHA EXP1024-DHE-DSS-RC4-SHA
0066 TLS_DHE_DSS_WITH_RC4_128_SHA DHE-DSS-RC4-SHA
0067 TLS_DHE_RSA_WITH_AES_128_CBC_SHA256 DHE-RSA-AES128-SHA256
0068 TLS_DH_DSS_WITH_AES_256_CBC_SHA256 DH-DSS-AES256-SHA256
0069 TLS_DH_RSA_WITH_AES_256_CBC_SHA256 DH-RSA-AES256-SHA256
006A TLS_DHE_DSS_WITH_AES_256_CBC_SHA256 DHE-DSS-AES256-SHA256
006B TLS_DHE_RSA_WITH_AES_256_CBC_SHA256 DHE-RSA-AES256-SHA256
006C TLS_DH_anon_WITH_AES_128_CBC_SHA256 ADH-AES128-SHA256
006D TLS_DH_anon_WITH_AES_256_CBC_SHA256 ADH-AES256-SHA256
0080 TLS_GOSTR341094_WITH_28147_CNT_IMIT GOST94-GOST89-GOST89
0081 TLS_GOSTR341001_WITH_28147_CNT_IMIT GOST2001-GOST89-GOST89
0082 TLS_GOSTR341094_WITH_NULL_GOSTR3411 GOST94-NULL-GOST94
0083 TLS_GOSTR341001_WITH_NULL_GOSTR3411 GOST2001-NULL-GOST94
0084 TLS_RSA_WITH_CAMELLIA_256_CBC_SHA CAMELLIA256-SHA
0085 TLS_DH_DSS_WITH_CAMELLIA_256_CBC_SHA DH-DSS-CAMELLIA256-SHA
0086 TLS_DH_RSA_WITH_CAMELLIA_256_CBC_SHA DH-RSA-CAMELLIA256-SHA
0087 TLS_DHE_DSS_WITH_CAMELLIA_256_CBC_SHA DHE-DSS-CAMELLIA256-SHA
0088 TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA DHE-RSA-CAMELLIA256-SHA
0089 TLS_DH_anon_WITH_CAMELLIA_256_CBC_SHA ADH-CAMELLIA256-SHA
008A TLS_PSK_WITH_RC4_128_SHA PSK-RC4-SHA
008B TLS_PSK_WITH_3DES_EDE_CBC_SHA PSK-3DES-EDE-CBC-SHA
008C TLS_PSK_WITH_AES_128_CBC_SHA PSK-AES128-CBC-SHA
008D TLS_PSK_WITH_AES_256_CBC_SHA PSK-AES256-CBC-SHA
008E TLS_DHE_PSK_WITH_RC4_128_SHA DHE-PSK-RC4-SHA
008F TLS_DHE_PSK_WITH_3DES_EDE_CBC_SHA DHE-PSK-3DES-EDE-CBC-SHA
0090 TLS_DHE_PSK_WITH_AES_128_CBC_SHA DHE-PSK-AES128-CBC-SHA
0091 TLS_DHE_PSK_WITH_AES_256_CBC_SHA DHE-PSK-AES256-CBC-SHA
0092 TLS_RSA_PSK_WITH_RC4_128_SHA RSA-PSK-RC4-SHA
0093 TLS_RSA_PSK_WITH_3DES_EDE_CBC_SHA RSA-PSK-3DES-EDE-CBC-SHA
0094 TLS_RSA_PSK_WITH_AES_128_CBC_SHA RSA-PSK-AES128-CBC-SHA
0095 TLS_RSA_PSK_WITH_AES_256_CBC_SHA RSA-PSK-AES256-CBC-SHA
0096 TLS_RSA_WITH_SEED_CBC_SHA SEED-SHA
0097 TLS_DH_DSS_WITH_SEED_CBC_SHA DH-DSS-SEED-SHA
0098 TLS_DH_RSA_WITH_SEED_CBC_SHA DH-RSA-SEED-SHA
0099 TLS_DHE_DSS_WITH_SEED_CBC_SHA DHE-DSS-SEED-SHA
009A TLS_DHE_RSA_WITH_SEED_CBC_SHA DHE-RSA-SEED-SHA
009B TLS_DH_anon_WITH_SEED_CBC_SHA ADH-SEED-SHA
009C TLS_RSA_WITH_AES_128_GCM_SHA256 AES128-GCM-SHA256
009D TLS_RSA_WITH_AES_256_GCM_SHA384 AES256-GCM-SHA384
009E TLS_DHE_RSA_WITH_AES_128_GCM_SHA256 DHE-RSA-AES128-GCM-SHA256
009F TLS_DHE_RSA_WITH_AES_256_GCM_SHA384 DHE-RSA-AES256-GCM-SHA384
00A0 TLS_DH_RSA_WITH_AES_128_GCM_SHA256 DH-RSA-AES128-GCM-SHA256
00A1 TLS_DH_RSA_WITH_AES_256_GCM_SHA384 DH-RSA-AES256-GCM-SHA384
00A2 TLS_DHE_DSS_WITH_AES_128_GCM_SHA256 DHE-DSS-AES128-GCM-SHA256
00A3 TLS_DHE_DSS_WITH_AES_256_GCM_SHA384 DHE-DSS-AES256-GCM-SHA384
00A4 TLS_DH_DSS_WITH_AES_128_GCM_SHA256 DH-DSS-AES128-GCM-SHA256
00A5 TLS_DH_DSS_WITH_AES_256_GCM_SHA384 DH-DSS-AES256-GCM-SHA384
00A6 TLS_DH_anon_WITH_AES_128_GCM_SHA256 ADH-AES128-GCM-SHA256
00A7 TLS_DH_anon_WITH_AES_256_GCM_SHA384 ADH-AES256-GCM-SHA384
00A8 TLS_PSK_WITH_AES_128_GCM_SHA256 PSK-AES128-GCM-SHA256
00A9 TLS_PSK_WITH_AES_256_GCM_SHA384 PSK-AES256-GCM-SHA384
00AA TLS_DHE_PSK_WITH_AES_128_GCM_SHA256 DHE-PSK-AES128-GCM-SHA256
00AB TLS_DHE_PSK_WITH_AES_256_GCM_SHA384 DHE-PSK-AES256-GCM-SHA384
00AC TLS_RSA_PSK_WITH_AES_128_GCM_SHA256 RSA-PSK-AES128-GCM-SHA256
00AD TLS_RSA_PSK_WITH_AES_256_GCM_SHA384 RSA-PSK-AES256-GCM-SHA384
00AE TLS_PSK_WITH_AES_128_CBC_SHA256 PSK-AES128-CBC-SHA256
00AF TLS_PSK_WITH_AES_256_CBC_SHA384 PSK-AES256-CBC-SHA384
00B0 TLS_PSK_WITH_NULL_SHA256 PSK-NULL-SHA256
00B1 TLS_PSK_WITH_NULL_SHA384 PSK-NULL-SHA384
00B2 TLS_DHE_PSK_WITH_AES_128_CBC_SHA256 DHE-PSK-AES128-CBC-SHA256
00B3 TLS_DHE_PSK_WITH_AES_256_CBC_SHA384 DHE-PSK-AES256-CBC-SHA384
00B4 TLS_DHE_PSK_WITH_NULL_SHA256 DHE-PSK-NULL-SHA256
00B5 TLS_DHE_PSK_WITH_NULL_SHA384 DHE-PSK-NULL-SHA384
00B6 TLS_RSA_PSK_WITH_AES_128_CBC_SHA256 RSA-PSK-AES128-CBC-SHA256
00B7 TLS_RSA_PSK_WITH_AES_256_CBC_SHA384 RSA-PSK-AES256-CBC-SHA384
00B8 TLS_RSA_PSK_WITH_NULL_SHA256 RSA-PSK-NULL-SHA256
00B9 TLS_RSA_PSK_WITH_NULL_SHA384 RSA-PSK-NULL-SHA384
00BA TLS_RSA_WITH_CAMELLIA_128_CBC_SHA256 CAMELLIA128-SHA256
00BB TLS_DH_DSS_WITH_CAMELLIA_128_CBC_SHA256 DH-DSS-CAMELLIA128-SHA256
00BC TLS_DH_RSA_WITH_CAMELLIA_128_CBC_SHA256 DH-RSA-CAMELLIA128-SHA256
00BD TLS_DHE_DSS_WITH_CAMELLIA_128_CBC_SHA256 DHE-DSS-CAMELLIA128-SHA256
00BE TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA256 DHE-RSA-CAMELLIA128-SHA256
00BF TLS_DH_anon_WITH_CAMELLIA_128_CBC_SHA256 ADH-CAMELLIA128-SHA256
00C0 TLS_RSA_WITH_CAMELLIA_256_CBC_SHA256 CAMELLIA256-SHA256
00C1 TLS_DH_DSS_WITH_CAMELLIA_256_CBC_SHA256 DH-DSS-CAMELLIA256-SHA256
00C2 TLS_DH_RSA_WITH_CAMELLIA_256_CBC_SHA256 DH-RSA-CAMELLIA256-SHA256
00C3 TLS_DHE_DSS_WITH_CAMELLIA_256_CBC_SHA256 DHE-DSS-CAMELLIA256-SHA256
00C4 TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA256 DHE-RSA-CAMELLIA256-SHA256
00C5 TLS_DH_anon_WITH_CAMELLIA_256_CBC_SHA256 ADH-CAMELLIA256-SHA256
00C6 TLS_SM4_GCM_SM3 -
00C7 TLS_SM4_CCM_SM3 -
1301 TLS_AES_128_GCM_SHA256 TLS_AES_128_GCM_SHA256
1302 TLS_AES_256_GCM_SHA384 TLS_AES_256_GCM_SHA384
1303 TLS_CHACHA20_POLY1305_SHA256 TLS_CHACHA20_POLY1305_SHA256
1304 TLS_AES_128_CCM_SHA256 TLS_AES_128_CCM_SHA256
1305 TLS_AES_128_CCM_8_SHA256 TLS_AES_128_CCM_8_SHA256
C001 TLS_ECDH_ECDSA_WITH_NULL_SHA ECDH-ECDSA-NULL-SHA
C002 TLS_ECDH_ECDSA_WITH_RC4_128_SHA ECDH-ECDSA-RC4-SHA
C003 TLS_ECDH_ECDSA_WITH_3DES_EDE_CBC_SHA ECDH-ECDSA-DES-CBC3-SHA
C004 TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA ECDH-ECDSA-AES128-SHA
C005 TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA ECDH-ECDSA-AES256-SHA
C006 TLS_ECDHE_ECDSA_WITH_NULL_SHA ECDHE-ECDSA-NULL-SHA
C007 TLS_ECDHE_ECDSA_WITH_RC4_128_SHA ECDHE-ECDSA-RC4-SHA
C008 TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA ECDHE-ECDSA-DES-CBC3-SHA
C009 TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA ECDHE-ECDSA-AES128-SHA
C00A TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA ECDHE-ECDSA-AES256-SHA
C00B TLS_ECDH_RSA_WITH_NULL_SHA ECDH-RSA-NULL-SHA
C00C TLS_ECDH_RSA_WITH_RC4_128_SHA ECDH-RSA-RC4-SHA
C00D TLS_ECDH_RSA_WITH_3DES_EDE_CBC_SHA ECDH-RSA-DES-CBC3-SHA
C00E TLS_ECDH_RSA_WITH_AES_128_CBC_SHA ECDH-RSA-AES128-SHA
C00F TLS_ECDH_RSA_WITH_AES_256_CBC_SHA ECDH-RSA-AES256-SHA
C010 TLS_ECDHE_RSA_WITH_NULL_SHA ECDHE-RSA-NULL-SHA
C011 TLS_ECDHE_RSA_WITH_RC4_128_SHA ECDHE-RSA-RC4-SHA
C012 TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA ECDHE-RSA-DES-CBC3-SHA
C013 TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA ECDHE-RSA-AES128-SHA
C014 TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA ECDHE-RSA-AES256-SHA
C015 TLS_ECDH_anon_WITH_NULL_SHA AECDH-NULL-SHA
C016 TLS_ECDH_anon_WITH_RC4_128_SHA AECDH-RC4-SHA
C017 TLS_ECDH_anon_WITH_3DES_EDE_CBC_SHA AECDH-DES-CBC3-SHA
C018 TLS_ECDH_anon_WITH_AES_128_CBC_SHA AECDH-AES128-SHA
C019 TLS_ECDH_anon_WITH_AES_256_CBC_SHA AECDH-AES256-SHA
C01A TLS_SRP_SHA_WITH_3DES_EDE_CBC_SHA SRP-3DES-EDE-CBC-SHA
C01B TLS_SRP_SHA_RSA_WITH_3DES_EDE_CBC_SHA SRP-RSA-3DES-EDE-CBC-SHA
C01C TLS_SRP_SHA_DSS_WITH_3DES_EDE_CBC_SHA SRP-DSS-3DES-EDE-CBC-SHA
C01D TLS_SRP_SHA_WITH_AES_128_CBC_SHA SRP-AES-128-CBC-SHA
C01E TLS_SRP_SHA_RSA_WITH_AES_128_CBC_SHA SRP-RSA-AES-128-CBC-SHA
C01F TLS_SRP_SHA_DSS_WITH_AES_128_CBC_SHA SRP-DSS-AES-128-CBC-SHA
C020 TLS_SRP_SHA_WITH_AES_256_CBC_SHA SRP-AES-256-CBC-SHA
C021 TLS_SRP_SHA_RSA_WITH_AES_256_CBC_SHA SRP-RSA-AES-256-CBC-SHA
C022 TLS_SRP_SHA_DSS_WITH_AES_256_CBC_SHA SRP-DSS-AES-256-CBC-SHA
C023 TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256 ECDHE-ECDSA-AES128-SHA256
C024 TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384 ECDHE-ECDSA-AES256-SHA384
C025 TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA256 ECDH-ECDSA-AES128-SHA256
C026 TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA384 ECDH-ECDSA-AES256-SHA384
C027 TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256 ECDHE-RSA-AES128-SHA256
C028 TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384 ECDHE-RSA-AES256-SHA384
C029 TLS_ECDH_RSA_WITH_AES_128_CBC_SHA256 ECDH-RSA-AES128-SHA256
C02A TLS_ECDH_RSA_WITH_AES_256_CBC_SHA384 ECDH-RSA-AES256-SHA384
C02B TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 ECDHE-ECDSA-AES128-GCM-SHA256
C02C TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 ECDHE-ECDSA-AES256-GCM-SHA384
C02D TLS_ECDH_ECDSA_WITH_AES_128_GCM_SHA256 ECDH-ECDSA-AES128-GCM-SHA256
C02E TLS_ECDH_ECDSA_WITH_AES_256_GCM_SHA384 ECDH-ECDSA-AES256-GCM-SHA384
C02F TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 ECDHE-RSA-AES128-GCM-SHA256
C030 TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 ECDHE-RSA-AES256-GCM-SHA384
C031 TLS_ECDH_RSA_WITH_AES_128_GCM_SHA256 ECDH-RSA-AES128-GCM-SHA256
C032 TLS_ECDH_RSA_WITH_AES_256_GCM_SHA384 ECDH-RSA-AES256-GCM-SHA384
C033 TLS_ECDHE_PSK_WITH_RC4_128_SHA ECDHE-PSK-RC4-SHA
C034 TLS_ECDHE_PSK_WITH_3DES_EDE_CBC_SHA ECDHE-PSK-3DES-EDE-CBC-SHA
C035 TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA ECDHE-PSK-AES128-CBC-SHA
C036 TLS_ECDHE_PSK_WITH_AES_256_CBC_SHA ECDHE-PSK-AES256-CBC-SHA
C037 TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA256 ECDHE-PSK-AES128-CBC-SHA256
C038 TLS_ECDHE_PSK_WITH_AES_256_CBC_SHA384 ECDHE-PSK-AES256-CBC-SHA384
C039 TLS_ECDHE_PSK_WITH_NULL_SHA ECDHE-PSK-NULL-SHA
C03A TLS_ECDHE_PSK_WITH_NULL_SHA256 ECDHE-PSK-NULL-SHA256
C03B TLS_ECDHE_PSK_WITH_NULL_SHA384 ECDHE-PSK-NULL-SHA384
C03C TLS_RSA_WITH_ARIA_128_CBC_SHA256 -
C03D TLS_RSA_WITH_ARIA_256_CBC_SHA384 -
C03E TLS_DH_DSS_WITH_ARIA_128_CBC_SHA256 -
C03F TLS_DH_DSS_WITH_ARIA_256_CBC_SHA384 -
C040 TLS_DH_RSA_WITH_ARIA_128_CBC_SHA256 -
C041 TLS_DH_RSA_WITH_ARIA_256_CBC_SHA384 -
C042 TLS_DHE_DSS_WITH_ARIA_128_CBC_SHA256 -
C043 TLS_DHE_DSS_WITH_ARIA_256_CBC_SHA384 -
C044 TLS_DHE_RSA_WITH_ARIA_128_CBC_SHA256 -
C045 TLS_DHE_RSA_WITH_ARIA_256_CBC_SHA384 -
C046 TLS_DH_anon_WITH_ARIA_128_CBC_SHA256 -
C047 TLS_DH_anon_WITH_ARIA_256_CBC_SHA384 -
C048 TLS_ECDHE_ECDSA_WITH_ARIA_128_CBC_SHA256 -
C049 TLS_ECDHE_ECDSA_WITH_ARIA_256_CBC_SHA384 -
C04A TLS_ECDH_ECDSA_WITH_ARIA_128_CBC_SHA256 -
C04B TLS_ECDH_ECDSA_WITH_ARIA_256_CBC_SHA384 -
C04C TLS_ECDHE_RSA_WITH_ARIA_128_CBC_SHA256 -
C04D TLS_ECDHE_RSA_WITH_ARIA_256_CBC_SHA384 -
C04E TLS_ECDH_RSA_WITH_ARIA_128_CBC_SHA256 -
C04F TLS_ECDH_RSA_WITH_ARIA_256_CBC_SHA384 -
C050 TLS_RSA_WITH_ARIA_128_GCM_SHA256 ARIA128-GCM-SHA256
C051 TLS_RSA_WITH_ARIA_256_GCM_SHA384 ARIA256-GCM-SHA384
C052 TLS_DHE_RSA_WITH_ARIA_128_GCM_SHA256 DHE-RSA-ARIA128-GCM-SHA256
C053 TLS_DHE_RSA_WITH_ARIA_256_GCM_SHA384 DHE-RSA-ARIA256-GCM-SHA384
C054 TLS_DH_RSA_WITH_ARIA_128_GCM_SHA256 -
C055 TLS_DH_RSA_WITH_ARIA_256_GCM_SHA384 -
C056 TLS_DHE_DSS_WITH_ARIA_128_GCM_SHA256 DHE-DSS-ARIA128-GCM-SHA256
C057 TLS_DHE_DSS_WITH_ARIA_256_GCM_SHA384 DHE-DSS-ARIA256-GCM-SHA384
C058 TLS_DH_DSS_WITH_ARIA_128_GCM_SHA256 -
C059 TLS_DH_DSS_WITH_ARIA_256_GCM_SHA384 -
C05A TLS_DH_anon_WITH_ARIA_128_GCM_SHA256 -
C05B TLS_DH_anon_WITH_ARIA_256_GCM_SHA384 -
C05C TLS_ECDHE_ECDSA_WITH_ARIA_128_GCM_SHA256 ECDHE-ECDSA-ARIA128-GCM-SHA256
C05D TLS_ECDHE_ECDSA_WITH_ARIA_256_GCM_SHA384 ECDHE-ECDSA-ARIA256-GCM-SHA384
C05E TLS_ECDH_ECDSA_WITH_ARIA_128_GCM_SHA256 -
C05F TLS_ECDH_ECDSA_WITH_ARIA_256_GCM_SHA384 -
C060 TLS_ECDHE_RSA_WITH_ARIA_128_GCM_SHA256 ECDHE-ARIA128-GCM-SHA256
C061 TLS_ECDHE_RSA_WITH_ARIA_256_GCM_SHA384 ECDHE-ARIA256-GCM-SHA384
C062 TLS_ECDH_RSA_WITH_ARIA_128_GCM_SHA256 -
C063 TLS_ECDH_RSA_WITH_ARIA_256_GCM_SHA384 -
C064 TLS_PSK_WITH_ARIA_128_CBC_SHA256 -
C065 TLS_PSK_WITH_ARIA_256_CBC_SHA384 -
C066 TLS_DHE_PSK_WITH_ARIA_128_CBC_SHA256 -
C067 TLS_DHE_PSK_WITH_ARIA_256_CBC_SHA384 -
C068 TLS_RSA_PSK_WITH_ARIA_128_CBC_SHA256 -
C069 TLS_RSA_PSK_WITH_ARIA_256_CBC_SHA384 -
C06A TLS_PSK_WITH_ARIA_128_GCM_SHA256 PSK-ARIA128-GCM-SHA256
C06B TLS_PSK_WITH_ARIA_256_GCM_SHA384 PSK-ARIA256-GCM-SHA384
C06C TLS_DHE_PSK_WITH_ARIA_128_GCM_SHA256 DHE-PSK-ARIA128-GCM-SHA256
C06D TLS_DHE_PSK_WITH_ARIA_256_GCM_SHA384 DHE-PSK-ARIA256-GCM-SHA384
C06E TLS_RSA_PSK_WITH_ARIA_128_GCM_SHA256 RSA-PSK-ARIA128-GCM-SHA256
C06F TLS_RSA_PSK_WITH_ARIA_256_GCM_SHA384 RSA-PSK-ARIA256-GCM-SHA384
C070 TLS_ECDHE_PSK_WITH_ARIA_128_CBC_SHA256 -
C071 TLS_ECDHE_PSK_WITH_ARIA_256_CBC_SHA384 -
C072 TLS_ECDHE_ECDSA_WITH_CAMELLIA_128_CBC_SHA256 ECDHE-ECDSA-CAMELLIA128-SHA256
C073 TLS_ECDHE_ECDSA_WITH_CAMELLIA_256_CBC_SHA384 ECDHE-ECDSA-CAMELLIA256-SHA384
C074 TLS_ECDH_ECDSA_WITH_CAMELLIA_128_CBC_SHA256 ECDH-ECDSA-CAMELLIA128-SHA256
C075 TLS_ECDH_ECDSA_WITH_CAMELLIA_256_CBC_SHA384 ECDH-ECDSA-CAMELLIA256-SHA384
C076 TLS_ECDHE_RSA_WITH_CAMELLIA_128_CBC_SHA256 ECDHE-RSA-CAMELLIA128-SHA256
C077 TLS_ECDHE_RSA_WITH_CAMELLIA_256_CBC_SHA384 ECDHE-RSA-CAMELLIA256-SHA384
C078 TLS_ECDH_RSA_WITH_CAMELLIA_128_CBC_SHA256 ECDH-RSA-CAMELLIA128-SHA256
C079 TLS_ECDH_RSA_WITH_CAMELLIA_256_CBC_SHA384 ECDH-RSA-CAMELLIA256-SHA384
C07A TLS_RSA_WITH_CAMELLIA_128_GCM_SHA256 -
C07B TLS_RSA_WITH_CAMELLIA_256_GCM_SHA384 -
C07C TLS_DHE_RSA_WITH_CAMELLIA_128_GCM_SHA256 -
C07D TLS_DHE_RSA_WITH_CAMELLIA_256_GCM_SHA384 -
C07E TLS_DH_RSA_WITH_CAMELLIA_128_GCM_SHA256 -
C07F TLS_DH_RSA_WITH_CAMELLIA_256_GCM_SHA384 -
C080 TLS_DHE_DSS_WITH_CAMELLIA_128_GCM_SHA256 -
C081 TLS_DHE_DSS_WITH_CAMELLIA_256_GCM_SHA384 -
C082 TLS_DH_DSS_WITH_CAMELLIA_128_GCM_SHA256 -
C083 TLS_DH_DSS_WITH_CAMELLIA_256_GCM_SHA384 -
C084 TLS_DH_anon_WITH_CAMELLIA_128_GCM_SHA256 -
C085 TLS_DH_anon_WITH_CAMELLIA_256_GCM_SHA384 -
C086 TLS_ECDHE_ECDSA_WITH_CAMELLIA_128_GCM_SHA256 -
C087 TLS_ECDHE_ECDSA_WITH_CAMELLIA_256_GCM_SHA384 -
C088 TLS_ECDH_ECDSA_WITH_CAMELLIA_128_GCM_SHA256 -
C089 TLS_ECDH_ECDSA_WITH_CAMELLIA_256_GCM_SHA384 -
C08A TLS_ECDHE_RSA_WITH_CAMELLIA_128_GCM_SHA256 -
C08B TLS_ECDHE_RSA_WITH_CAMELLIA_256_GCM_SHA384 -
C08C TLS_ECDH_RSA_WITH_CAMELLIA_128_GCM_SHA256 -
C08D TLS_ECDH_RSA_WITH_CAMELLIA_256_GCM_SHA384 -
C08E TLS_PSK_WITH_CAMELLIA_128_GCM_SHA256 -
C08F TLS_PSK_WITH_CAMELLIA_256_GCM_SHA384 -
C090 TLS_DHE_PSK_WITH_CAMELLIA_128_GCM_SHA256 -
C091 TLS_DHE_PSK_WITH_CAMELLIA_256_GCM_SHA384 -
C092 TLS_RSA_PSK_WITH_CAMELLIA_128_GCM_SHA256 -
C093 TLS_RSA_PSK_WITH_CAMELLIA_256_GCM_SHA384 -
C094 TLS_PSK_WITH_CAMELLIA_128_CBC_SHA256 PSK-CAMELLIA128-SHA256
C095 TLS_PSK_WITH_CAMELLIA_256_CBC_SHA384 PSK-CAMELLIA256-SHA384
C096 TLS_DHE_PSK_WITH_CAMELLIA_128_CBC_SHA256 DHE-PSK-CAMELLIA128-SHA256
C097 TLS_DHE_PSK_WITH_CAMELLIA_256_CBC_SHA384 DHE-PSK-CAMELLIA256-SHA384
C098 TLS_RSA_PSK_WITH_CAMELLIA_128_CBC_SHA256 RSA-PSK-CAMELLIA128-SHA256
C099 TLS_RSA_PSK_WITH_CAMELLIA_256_CBC_SHA384 RSA-PSK-CAMELLIA256-SHA384
C09A TLS_ECDHE_PSK_WITH_CAMELLIA_128_CBC_SHA256 ECDHE-PSK-CAMELLIA128-SHA256
C09B TLS_ECDHE_PSK_WITH_CAMELLIA_256_CBC_SHA384 ECDHE-PSK-CAMELLIA256-SHA384
C09C TLS_RSA_WITH_AES_128_CCM AES128-CCM
C09D TLS_RSA_WITH_AES_256_CCM AES256-CCM
C09E TLS_DHE_RSA_WITH_AES_128_CCM DHE-RSA-AES128-CCM
C09F TLS_DHE_RSA_WITH_AES_256_CCM DHE-RSA-AES256-CCM
C0A0 TLS_RSA_WITH_AES_128_CCM_8 AES128-CCM8
C0A1 TLS_RSA_WITH_AES_256_CCM_8 AES256-CCM8
C0A2 TLS_DHE_RSA_WITH_AES_128_CCM_8 DHE-RSA-AES128-CCM8
C0A3 TLS_DHE_RSA_WITH_AES_256_CCM_8 DHE-RSA-AES256-CCM8
C0A4 TLS_PSK_WITH_AES_128_CCM PSK-AES128-CCM
C0A5 TLS_PSK_WITH_AES_256_CCM PSK-AES256-CCM
C0A6 TLS_DHE_PSK_WITH_AES_128_CCM DHE-PSK-AES128-CCM
C0A7 TLS_DHE_PSK_WITH_AES_256_CCM DHE-PSK-AES256-CCM
C0A8 TLS_PSK_WITH_AES_128_CCM_8 PSK-AES128-CCM8
C0A9 TLS_PSK_WITH_AES_256_CCM_8 PSK-AES256-CCM8
C0AA TLS_PSK_DHE_WITH_AES_128_CCM_8 DHE-PSK-AES128-CCM8
C0AB TLS_PSK_DHE_WITH_AES_256_CCM_8 DHE-PSK-AES256-CCM8
C0AC TLS_ECDHE_ECDSA_WITH_AES_128_CCM ECDHE-ECDSA-AES128-CCM
C0AD TLS_ECDHE_ECDSA_WITH_AES_256_CCM ECDHE-ECDSA-AES256-CCM
C0AE TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8 ECDHE-ECDSA-AES128-CCM8
C0AF TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8 ECDHE-ECDSA-AES256-CCM8
C100 TLS_GOSTR341112_256_WITH_KUZNYECHIK_CTR_OMAC -
C101 TLS_GOSTR341112_256_WITH_MAGMA_CTR_OMAC -
C102 TLS_GOSTR341112_256_WITH_28147_CNT_IMIT -
CC13 OLD_TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256 ECDHE-RSA-CHACHA20-POLY1305-OLD
CC14 OLD_TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256 ECDHE-ECDSA-CHACHA20-POLY1305-OLD
CC15 OLD_TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256 DHE-RSA-CHACHA20-POLY1305-OLD
CCA8 TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256 ECDHE-RSA-CHACHA20-POLY1305
CCA9 TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256 ECDHE-ECDSA-CHACHA20-POLY1305
CCAA TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256 DHE-RSA-CHACHA20-POLY1305
CCAB TLS_PSK_WITH_CHACHA20_POLY1305_SHA256 PSK-CHACHA20-POLY1305
CCAC TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256 ECDHE-PSK-CHACHA20-POLY1305
CCAD TLS_DHE_PSK_WITH_CHACHA20_POLY1305_SHA256 DHE-PSK-CHACHA20-POLY1305
CCAE TLS_RSA_PSK_WITH_CHACHA20_POLY1305_SHA256 RSA-PSK-CHACHA20-POLY1305
D001 TLS_ECDHE_PSK_WITH_AES_128_GCM_SHA256 -
D002 TLS_ECDHE_PSK_WITH_AES_256_GCM_SHA384 -
D003 TLS_ECDHE_PSK_WITH_AES_128_CCM_8_SHA256 -
D005 TLS_ECDHE_PSK_WITH_AES_128_CCM_SHA256 -
"""


class CipherSuite(object):
    """One cipher suite: ``code``, IANA ``name``, ``openssl_name`` (or None) and derived properties."""

    __slots__ = ('code', 'name', 'openssl_name', 'kex', 'kex_class', 'auth', 'tls13', 'tls12_only', 'export', 'anonymous')

    def __init__(self, code, name, openssl_name):
        self.code, self.name, self.openssl_name = code, name, openssl_name
        self.tls13 = '_WITH_' not in name and not name.startswith('TLS_GOST') and not name.startswith('SSL_')
        if name.startswith('TLS_SM4_'):
            self.tls13 = True
        kex = name[4:].split('_WITH_')[0] if '_WITH_' in name else ('TLS13' if self.tls13 else name[4:])
        if kex.startswith('OLD_TLS_'):
            kex = kex[8:]
        if name.startswith('OLD_TLS_'):
            kex = name[8:].split('_WITH_')[0]
        self.kex = kex
        self.export = 'EXPORT' in name
        self.anonymous = '_anon_' in name or kex in ('DH_anon', 'ECDH_anon') or kex.endswith('_anon_EXPORT')
        if self.tls13:
            self.kex_class = 'tls13'
        elif kex.startswith('ECDHE') or kex.startswith('ECDH_anon'):
            self.kex_class = 'ecdhe'
        elif kex.startswith('DHE') or kex.startswith('DH_anon'):
            self.kex_class = 'dhe'
        elif kex == 'RSA' or kex.startswith('RSA_EXPORT'):
            self.kex_class = 'rsa'
        else:
            self.kex_class = 'other'
        if self.tls13:
            self.auth = None
        elif 'ECDSA' in kex:
            self.auth = 'ecdsa'
        elif 'DSS' in kex:
            self.auth = 'dsa'
        elif self.anonymous:
            self.auth = 'anon'
        elif 'PSK' in kex and 'RSA' not in kex:
            self.auth = 'psk'
        elif 'RSA' in kex:
            self.auth = 'rsa'
        else:
            self.auth = 'other'
        tail = name.split('_WITH_')[-1]
        self.tls12_only = (not self.tls13) and any(tag in tail for tag in ('GCM', 'CCM', 'CHACHA20', 'ARIA', 'SHA256', 'SHA384', 'KUZNYECHIK', 'MAGMA'))

    def __repr__(self):
        return 'CipherSuite(0x%04X, %s)' % (self.code, self.name)


def _load_suites():
    suites = {}
    for line in _SUITE_TABLE.strip().splitlines():
        code, name, ossl = line.split()
        suites[int(code, 16)] = CipherSuite(int(code, 16), name, None if ossl == '-' else ossl)
    return suites


CIPHER_SUITES = _load_suites()
SUITES_BY_NAME = dict((s.name, s) for s in CIPHER_SUITES.values())
TLS13_SUITES = [c for c in sorted(CIPHER_SUITES) if CIPHER_SUITES[c].tls13]
LEGACY_SUITES = [c for c in sorted(CIPHER_SUITES) if not CIPHER_SUITES[c].tls13]


def suite_name(code):
    suite = CIPHER_SUITES.get(code)
    return suite.name if suite else 'UNKNOWN_0x%04X' % code


def suites_for_version(version):
    """Cipher suite codes that can be negotiated at ``version`` (a code), in our preferred offer order."""
    if version == TLS13:
        return list(TLS13_SUITES)
    out = []
    for code in LEGACY_SUITES:
        suite = CIPHER_SUITES[code]
        if suite.tls12_only and version < TLS12:
            continue
        out.append(code)
    return out


# SSLv2 cipher specs (3-byte codes) and their conventional names.
SSL2_CIPHER_SPECS = {
    0x010080: 'SSL_CK_RC4_128_WITH_MD5',
    0x020080: 'SSL_CK_RC4_128_EXPORT40_WITH_MD5',
    0x030080: 'SSL_CK_RC2_128_CBC_WITH_MD5',
    0x040080: 'SSL_CK_RC2_128_CBC_EXPORT40_WITH_MD5',
    0x050080: 'SSL_CK_IDEA_128_CBC_WITH_MD5',
    0x060040: 'SSL_CK_DES_64_CBC_WITH_MD5',
    0x0700C0: 'SSL_CK_DES_192_EDE3_CBC_WITH_MD5',
    0x080080: 'SSL_CK_RC4_64_WITH_MD5',
}

# --------------------------------------------------------------------------------------------
# Named groups: code -> (name, kind, bits). Names follow the Mozilla guidelines where they have
# one (X25519, prime256v1, secp384r1), OpenSSL names otherwise. ``bits`` is the size compared
# with the guidelines' ecdh_param_size / dh_param_size (X25519 counts as 256 like in sslyze).
# --------------------------------------------------------------------------------------------

GROUPS = {
    1: ('sect163k1', 'ec', 163), 2: ('sect163r1', 'ec', 163), 3: ('sect163r2', 'ec', 163), 4: ('sect193r1', 'ec', 193),
    5: ('sect193r2', 'ec', 193), 6: ('sect233k1', 'ec', 233), 7: ('sect233r1', 'ec', 233), 8: ('sect239k1', 'ec', 239),
    9: ('sect283k1', 'ec', 283), 10: ('sect283r1', 'ec', 283), 11: ('sect409k1', 'ec', 409), 12: ('sect409r1', 'ec', 409),
    13: ('sect571k1', 'ec', 571), 14: ('sect571r1', 'ec', 571), 15: ('secp160k1', 'ec', 160), 16: ('secp160r1', 'ec', 160),
    17: ('secp160r2', 'ec', 160), 18: ('secp192k1', 'ec', 192), 19: ('prime192v1', 'ec', 192), 20: ('secp224k1', 'ec', 224),
    21: ('secp224r1', 'ec', 224), 22: ('secp256k1', 'ec', 256), 23: ('prime256v1', 'ec', 256), 24: ('secp384r1', 'ec', 384),
    25: ('secp521r1', 'ec', 521), 26: ('brainpoolP256r1', 'ec', 256), 27: ('brainpoolP384r1', 'ec', 384),
    28: ('brainpoolP512r1', 'ec', 512), 29: ('X25519', 'ec', 256), 30: ('X448', 'ec', 448),
    31: ('brainpoolP256r1tls13', 'ec', 256), 32: ('brainpoolP384r1tls13', 'ec', 384), 33: ('brainpoolP512r1tls13', 'ec', 512),
    34: ('GC256A', 'ec', 256), 35: ('GC256B', 'ec', 256), 36: ('GC256C', 'ec', 256), 37: ('GC256D', 'ec', 256),
    38: ('GC512A', 'ec', 512), 39: ('GC512B', 'ec', 512), 40: ('GC512C', 'ec', 512), 41: ('curveSM2', 'ec', 256),
    256: ('ffdhe2048', 'ff', 2048), 257: ('ffdhe3072', 'ff', 3072), 258: ('ffdhe4096', 'ff', 4096),
    259: ('ffdhe6144', 'ff', 6144), 260: ('ffdhe8192', 'ff', 8192),
    0x0200: ('MLKEM512', 'pq', None), 0x0201: ('MLKEM768', 'pq', None), 0x0202: ('MLKEM1024', 'pq', None),
    0x11EB: ('SecP256r1MLKEM768', 'hybrid', 256), 0x11EC: ('X25519MLKEM768', 'hybrid', 256),
    0x11ED: ('SecP384r1MLKEM1024', 'hybrid', 384),
    0x6399: ('X25519Kyber768Draft00', 'hybrid', 256), 0x639A: ('SecP256r1Kyber768Draft00', 'hybrid', 256),
}
GROUPS_BY_NAME = dict((v[0], k) for k, v in GROUPS.items())
# Groups usable with TLS 1.2 ECDHE (RFC 8422 curves incl. the TLS 1.3 brainpool code points are not).
TLS12_EC_GROUPS = [c for c in sorted(GROUPS) if GROUPS[c][1] == 'ec' and c <= 30]
# Offer order: the common ones first so a server taking the client's order answers quickly.
_COMMON_FIRST = [29, 23, 24, 25, 30, 256, 257, 258, 259, 260]
ALL_GROUPS = _COMMON_FIRST + [c for c in sorted(GROUPS) if c not in _COMMON_FIRST]
TLS12_GROUPS_OFFER = [c for c in _COMMON_FIRST if c in TLS12_EC_GROUPS] + [c for c in TLS12_EC_GROUPS if c not in _COMMON_FIRST]


def group_name(code):
    group = GROUPS.get(code)
    return group[0] if group else 'unknown_0x%04X' % code


# Signature algorithms (TLS 1.2 SignatureAndHashAlgorithm / TLS 1.3 SignatureScheme)
SIGALGS_ALL = [
    0x0403, 0x0503, 0x0603, 0x0807, 0x0808, 0x081A, 0x081B, 0x081C, 0x0809, 0x080A, 0x080B, 0x0804, 0x0805, 0x0806,
    0x0401, 0x0501, 0x0601, 0x0303, 0x0301, 0x0302, 0x0402, 0x0502, 0x0602, 0x0203, 0x0201, 0x0202, 0x0101,
]
SIGALGS_RSA = [0x0804, 0x0805, 0x0806, 0x0809, 0x080A, 0x080B, 0x0401, 0x0501, 0x0601, 0x0201]
SIGALGS_NON_RSA = [0x0403, 0x0503, 0x0603, 0x0807, 0x0808, 0x081A, 0x081B, 0x081C, 0x0203]


# --------------------------------------------------------------------------------------------
# Builders
# --------------------------------------------------------------------------------------------

def _u8(n):
    return struct.pack('!B', n)


def _u16(n):
    return struct.pack('!H', n)


def _u24(n):
    return struct.pack('!I', n)[1:]


def _vec8(data):
    return _u8(len(data)) + data


def _vec16(data):
    return _u16(len(data)) + data


def _vec24(data):
    return _u24(len(data)) + data


def _ext(ext_type, body):
    return _u16(ext_type) + _vec16(body)


def record(content_type, version, payload):
    """One TLS record (payload split into several records if longer than 2^14)."""
    out = b''
    for start in range(0, max(len(payload), 1), 16384):
        chunk = payload[start:start + 16384]
        out += _u8(content_type) + _u16(version) + _vec16(chunk)
    return out


def handshake(msg_type, body):
    return _u8(msg_type) + _vec24(body)


def ext_server_name(name):
    host = name.encode('idna') if not isinstance(name, bytes) else name
    entry = _u8(0) + _vec16(host)
    return _ext(EXT_SERVER_NAME, _vec16(entry))


def client_hello(version, suites, server_name=None, groups=None, sigalgs=None, key_shares=None, tls13_versions=None,
                 compression=(0,), extensions=True, ems=True, renegotiation_info=True, status_request=True,
                 heartbeat=False, session_id=None, random=None, record_version=None, grease=False, extra_extensions=b''):
    """A ClientHello record.

    ``version``: legacy_version (the highest version for SSLv3 .. TLS 1.2 hellos; 0x0303 with TLS 1.3).
    ``suites``: cipher suite codes. ``tls13_versions``: versions for supported_versions (TLS 1.3 hellos).
    ``key_shares``: list of (group, public key bytes); [] sends an empty key_share (HelloRetryRequest probe).
    ``extensions=False`` sends no extensions at all (plain SSLv3 hello; secure renegotiation is then
    signalled with the SCSV instead).
    """
    random = random if random is not None else os.urandom(32)
    if session_id is None:
        session_id = os.urandom(32) if tls13_versions else b''
    suite_list = list(suites)
    if grease:
        suite_list = [GREASE] + suite_list
    if not extensions and renegotiation_info:
        suite_list = suite_list + [SCSV_EMPTY_RENEGOTIATION_INFO]
    body = _u16(version) + random + _vec8(session_id)
    body += _vec16(b''.join(_u16(c) for c in suite_list))
    body += _vec8(b''.join(_u8(c) for c in compression))
    if extensions:
        exts = b''
        if grease:
            exts += _ext(GREASE, b'')
        if server_name:
            exts += ext_server_name(server_name)
        if status_request:
            exts += _ext(EXT_STATUS_REQUEST, b'\x01\x00\x00\x00\x00')
        if groups:
            exts += _ext(EXT_SUPPORTED_GROUPS, _vec16(b''.join(_u16(g) for g in groups)))
            exts += _ext(EXT_EC_POINT_FORMATS, _vec8(b'\x00\x01\x02'))
        if version >= TLS12 or tls13_versions:
            exts += _ext(EXT_SIGNATURE_ALGORITHMS, _vec16(b''.join(_u16(s) for s in (sigalgs or SIGALGS_ALL))))
        if heartbeat:
            exts += _ext(EXT_HEARTBEAT, b'\x01')
        if ems:
            exts += _ext(EXT_EXTENDED_MASTER_SECRET, b'')
        if tls13_versions:
            exts += _ext(EXT_SUPPORTED_VERSIONS, _vec8(b''.join(_u16(v) for v in tls13_versions)))
            exts += _ext(EXT_PSK_KEY_EXCHANGE_MODES, _vec8(b'\x01'))
            shares = b''.join(_u16(g) + _vec16(pub) for g, pub in (key_shares or []))
            exts += _ext(EXT_KEY_SHARE, _vec16(shares))
        if renegotiation_info:
            exts += _ext(EXT_RENEGOTIATION_INFO, b'\x00')
        exts += extra_extensions
        body += _vec16(exts)
    msg = handshake(HT_CLIENT_HELLO, body)
    if record_version is None:
        record_version = SSL3 if version == SSL3 else TLS10
    return record(CT_HANDSHAKE, record_version, msg), msg


def sslv2_client_hello(specs=None, challenge=None):
    """An SSLv2 CLIENT-HELLO offering every SSLv2 cipher spec."""
    specs = sorted(SSL2_CIPHER_SPECS) if specs is None else specs
    challenge = challenge if challenge is not None else os.urandom(16)
    spec_bytes = b''.join(struct.pack('!I', s)[1:] for s in specs)
    msg = _u8(1) + _u16(SSL2) + _u16(len(spec_bytes)) + _u16(0) + _u16(len(challenge)) + spec_bytes + challenge
    return _u16(0x8000 | len(msg)) + msg


def alert_record(version, level, description):
    return record(CT_ALERT, version, _u8(level) + _u8(description))


def heartbeat_record(version, data):
    return record(CT_HEARTBEAT, version, data)


# --------------------------------------------------------------------------------------------
# Parsers
# --------------------------------------------------------------------------------------------

class Reader(object):
    """Bounds-checked reads from a bytes buffer."""

    def __init__(self, data, what='message'):
        self.data, self.pos, self.what = data, 0, what

    def remaining(self):
        return len(self.data) - self.pos

    def take(self, n):
        if n < 0 or self.pos + n > len(self.data):
            raise WireError('truncated %s: wanted %d bytes at offset %d, have %d' % (self.what, n, self.pos, len(self.data) - self.pos))
        out = self.data[self.pos:self.pos + n]
        self.pos += n
        return out

    def u8(self):
        return self.take(1)[0]

    def u16(self):
        return struct.unpack('!H', self.take(2))[0]

    def u24(self):
        return struct.unpack('!I', b'\x00' + self.take(3))[0]

    def vec8(self):
        return self.take(self.u8())

    def vec16(self):
        return self.take(self.u16())

    def vec24(self):
        return self.take(self.u24())


def looks_like_tls(data):
    """True if ``data`` starts like a TLS record (content type 20..24, major version 3)."""
    return len(data) >= 2 and data[0] in (CT_CCS, CT_ALERT, CT_HANDSHAKE, CT_APPDATA, CT_HEARTBEAT) and data[1] == 3


def looks_like_sslv2(data):
    """True if ``data`` starts like an SSLv2 SERVER-HELLO or ERROR (2-byte header with the high bit set)."""
    if len(data) < 3 or not data[0] & 0x80:
        return False
    return data[2] in (4, 0)


def parse_records(buf):
    """Split ``buf`` into complete TLS records -> ([(type, version, payload)], rest)."""
    out = []
    pos = 0
    while len(buf) - pos >= 5:
        ctype, version, length = buf[pos], struct.unpack('!H', buf[pos + 1:pos + 3])[0], struct.unpack('!H', buf[pos + 3:pos + 5])[0]
        if ctype not in (CT_CCS, CT_ALERT, CT_HANDSHAKE, CT_APPDATA, CT_HEARTBEAT) or (version >> 8) != 3:
            raise WireError('not a TLS record (type %d, version 0x%04X)' % (ctype, version))
        if length > 18432:
            raise WireError('TLS record too long (%d bytes)' % length)
        if len(buf) - pos - 5 < length:
            break
        out.append((ctype, version, buf[pos + 5:pos + 5 + length]))
        pos += 5 + length
    return out, buf[pos:]


def split_handshake(buf):
    """Split concatenated handshake bytes into complete messages -> ([(type, body, raw)], rest)."""
    out = []
    pos = 0
    while len(buf) - pos >= 4:
        length = struct.unpack('!I', b'\x00' + buf[pos + 1:pos + 4])[0]
        if len(buf) - pos - 4 < length:
            break
        out.append((buf[pos], buf[pos + 4:pos + 4 + length], buf[pos:pos + 4 + length]))
        pos += 4 + length
    return out, buf[pos:]


def parse_alert(payload):
    if len(payload) < 2:
        raise WireError('truncated alert')
    level, desc = payload[0], payload[1]
    return {'level': 'fatal' if level == 2 else ('warning' if level == 1 else str(level)),
            'description': ALERT_DESCRIPTIONS.get(desc, 'alert_%d' % desc), 'code': desc}


def parse_extensions(reader):
    exts = {}
    if reader.remaining() == 0:
        return exts
    data = Reader(reader.vec16(), 'extensions')
    while data.remaining():
        ext_type = data.u16()
        exts[ext_type] = data.vec16()
    return exts


def parse_server_hello(body):
    """ServerHello (or HelloRetryRequest) body -> dict."""
    r = Reader(body, 'ServerHello')
    legacy_version = r.u16()
    random = r.take(32)
    session_id = r.vec8()
    suite = r.u16()
    compression = r.u8()
    exts = parse_extensions(r)
    version = legacy_version
    if EXT_SUPPORTED_VERSIONS in exts and len(exts[EXT_SUPPORTED_VERSIONS]) == 2:
        version = struct.unpack('!H', exts[EXT_SUPPORTED_VERSIONS])[0]
    hrr = random == HRR_RANDOM
    out = {
        'legacy_version': legacy_version, 'version': version, 'version_name': VERSION_NAMES.get(version, '0x%04X' % version),
        'random': random, 'session_id': session_id, 'cipher_suite': suite, 'cipher_suite_name': suite_name(suite),
        'compression': compression, 'extensions': exts, 'hello_retry_request': hrr, 'key_share_group': None,
        'key_share': None,
    }
    ks = exts.get(EXT_KEY_SHARE)
    if ks is not None:
        ksr = Reader(ks, 'key_share')
        out['key_share_group'] = ksr.u16()
        if not hrr and ksr.remaining():
            out['key_share'] = ksr.vec16()
    out['secure_renegotiation'] = EXT_RENEGOTIATION_INFO in exts
    out['extended_master_secret'] = EXT_EXTENDED_MASTER_SECRET in exts
    out['status_request'] = EXT_STATUS_REQUEST in exts
    out['heartbeat'] = EXT_HEARTBEAT in exts
    return out


def parse_client_hello(body):
    """ClientHello body -> dict (used by the tests' scripted servers and to check what we send)."""
    r = Reader(body, 'ClientHello')
    out = {'legacy_version': r.u16(), 'random': r.take(32), 'session_id': r.vec8()}
    suites = r.vec16()
    out['cipher_suites'] = [struct.unpack('!H', suites[i:i + 2])[0] for i in range(0, len(suites) - 1, 2)]
    out['compression_methods'] = list(r.vec8())
    out['extensions'] = parse_extensions(r)
    exts = out['extensions']
    out['supported_versions'] = []
    if EXT_SUPPORTED_VERSIONS in exts:
        data = Reader(exts[EXT_SUPPORTED_VERSIONS], 'supported_versions').vec8()
        out['supported_versions'] = [struct.unpack('!H', data[i:i + 2])[0] for i in range(0, len(data) - 1, 2)]
    out['groups'] = []
    if EXT_SUPPORTED_GROUPS in exts:
        data = Reader(exts[EXT_SUPPORTED_GROUPS], 'supported_groups').vec16()
        out['groups'] = [struct.unpack('!H', data[i:i + 2])[0] for i in range(0, len(data) - 1, 2)]
    out['key_shares'] = []
    if EXT_KEY_SHARE in exts:
        data = Reader(Reader(exts[EXT_KEY_SHARE], 'key_share').vec16(), 'client_shares')
        while data.remaining():
            out['key_shares'].append((data.u16(), data.vec16()))
    out['server_name'] = None
    if EXT_SERVER_NAME in exts:
        data = Reader(Reader(exts[EXT_SERVER_NAME], 'server_name').vec16(), 'server_name_list')
        while data.remaining():
            name_type, name = data.u8(), data.vec16()
            if name_type == 0:
                out['server_name'] = name.decode('ascii', 'replace')
    return out


def parse_certificate(body, tls13=False):
    """Certificate message body -> {'certificates': [DER, ...], 'ocsp': DER or None (TLS 1.3 leaf status)}."""
    r = Reader(body, 'Certificate')
    if tls13:
        r.vec8()  # certificate_request_context
    data = Reader(r.vec24(), 'certificate_list')
    certs = []
    ocsp = None
    while data.remaining():
        certs.append(data.vec24())
        if tls13:
            exts = Reader(data.vec16(), 'certificate entry extensions')
            while exts.remaining():
                ext_type, ext_body = exts.u16(), exts.vec16()
                if ext_type == EXT_STATUS_REQUEST and len(certs) == 1 and len(ext_body) > 4 and ext_body[0] == 1:
                    ocsp = ext_body[4:]
    return {'certificates': certs, 'ocsp': ocsp}


def parse_certificate_status(body):
    r = Reader(body, 'CertificateStatus')
    status_type = r.u8()
    return r.vec24() if status_type == 1 else None


def _bitlen(data):
    value = int.from_bytes(data, 'big')
    return value.bit_length()


def parse_server_key_exchange(body, suite_code):
    """ServerKeyExchange for the key exchange of ``suite_code`` -> {'kind': 'dh'|'ecdh'|'rsa', ...} or None."""
    suite = CIPHER_SUITES.get(suite_code)
    if suite is None:
        return None
    r = Reader(body, 'ServerKeyExchange')
    if 'PSK' in suite.kex:
        r.vec16()  # psk_identity_hint
    if suite.kex_class == 'dhe':
        p = r.vec16()
        g = r.vec16()
        r.vec16()  # dh_Ys
        return {'kind': 'dh', 'bits': _bitlen(p), 'generator': int.from_bytes(g, 'big')}
    if suite.kex_class == 'ecdhe':
        curve_type = r.u8()
        if curve_type == 3:
            group = r.u16()
            info = GROUPS.get(group)
            return {'kind': 'ecdh', 'group': group, 'group_name': group_name(group), 'bits': info[2] if info else None}
        if curve_type == 1:
            prime = r.vec8()
            return {'kind': 'ecdh', 'group': None, 'group_name': 'explicit_prime', 'bits': _bitlen(prime)}
        return {'kind': 'ecdh', 'group': None, 'group_name': 'explicit_char2', 'bits': None}
    if suite.kex.startswith('RSA_EXPORT'):
        modulus = r.vec16()
        return {'kind': 'rsa', 'bits': _bitlen(modulus)}
    return None


def parse_sslv2_server_hello(data):
    """SSLv2 SERVER-HELLO (with its 2- or 3-byte record header) -> dict, or None if it is not one."""
    if len(data) < 3:
        raise WireError('truncated SSLv2 record')
    if data[0] & 0x80:
        length, pos = ((data[0] & 0x7F) << 8) | data[1], 2
    else:
        length, pos = ((data[0] & 0x3F) << 8) | data[1], 3
    if len(data) < pos + length:
        raise WireError('truncated SSLv2 record: %d of %d bytes' % (len(data) - pos, length))
    r = Reader(data[pos:pos + length], 'SSLv2 SERVER-HELLO')
    msg_type = r.u8()
    if msg_type == 0:
        return {'error': r.u16() if r.remaining() >= 2 else None}
    if msg_type != 4:
        return None
    r.u8()  # session id hit
    r.u8()  # certificate type
    version = r.u16()
    cert_len, specs_len, conn_len = r.u16(), r.u16(), r.u16()
    cert = r.take(cert_len)
    specs_raw = r.take(specs_len)
    r.take(conn_len)
    specs = []
    for i in range(0, len(specs_raw) - 2, 3):
        code = int.from_bytes(specs_raw[i:i + 3], 'big')
        specs.append(SSL2_CIPHER_SPECS.get(code, 'SSL_CK_UNKNOWN_0x%06X' % code))
    return {'version': version, 'certificate': cert or None, 'cipher_specs': specs}


def sslv2_record_length(data):
    """Total length (header included) of the SSLv2 record at the start of ``data``, or None if incomplete."""
    if len(data) < 3:
        return None
    if data[0] & 0x80:
        return (((data[0] & 0x7F) << 8) | data[1]) + 2
    return (((data[0] & 0x3F) << 8) | data[1]) + 3


# --------------------------------------------------------------------------------------------
# TLS 1.3 handshake keys (RFC 8446 section 7.1) - stdlib HKDF, AEAD and ECDH via cryptography
# --------------------------------------------------------------------------------------------

_TLS13_SUITE_PARAMS = {
    # code: (hash name, key length, AEAD kind, tag length)
    0x1301: ('sha256', 16, 'aesgcm', 16), 0x1302: ('sha384', 32, 'aesgcm', 16),
    0x1303: ('sha256', 32, 'chacha', 16), 0x1304: ('sha256', 16, 'aesccm', 16), 0x1305: ('sha256', 16, 'aesccm', 8),
}


def hkdf_extract(hash_name, salt, ikm):
    return hmac.new(salt, ikm, hash_name).digest()


def hkdf_expand(hash_name, prk, info, length):
    out, block, counter = b'', b'', 1
    while len(out) < length:
        block = hmac.new(prk, block + info + _u8(counter), hash_name).digest()
        out += block
        counter += 1
    return out[:length]


def hkdf_expand_label(hash_name, secret, label, context, length):
    info = _u16(length) + _vec8(b'tls13 ' + label) + _vec8(context)
    return hkdf_expand(hash_name, secret, info, length)


def tls13_server_handshake_keys(suite_code, shared_secret, transcript):
    """(key, iv, hash name) protecting the server's handshake flight, from the ECDHE secret and CH..SH."""
    params = _TLS13_SUITE_PARAMS.get(suite_code)
    if params is None:
        raise WireError('TLS 1.3 cipher suite 0x%04X is not supported by the decoder' % suite_code)
    hash_name, key_len = params[0], params[1]
    hlen = hashlib.new(hash_name).digest_size
    zeros = b'\x00' * hlen
    early = hkdf_extract(hash_name, zeros, zeros)
    derived = hkdf_expand_label(hash_name, early, b'derived', hashlib.new(hash_name, b'').digest(), hlen)
    hs_secret = hkdf_extract(hash_name, derived, shared_secret)
    s_hs = hkdf_expand_label(hash_name, hs_secret, b's hs traffic', hashlib.new(hash_name, transcript).digest(), hlen)
    key = hkdf_expand_label(hash_name, s_hs, b'key', b'', key_len)
    iv = hkdf_expand_label(hash_name, s_hs, b'iv', b'', 12)
    return key, iv, hash_name


class Tls13Decryptor(object):
    """Decrypts the server's TLS 1.3 handshake records (needs ``cryptography``)."""

    def __init__(self, suite_code, key, iv):
        from cryptography.hazmat.primitives.ciphers import aead  # pylint: disable=import-outside-toplevel
        kind, tag = _TLS13_SUITE_PARAMS[suite_code][2], _TLS13_SUITE_PARAMS[suite_code][3]
        if kind == 'aesgcm':
            self._aead = aead.AESGCM(key)
        elif kind == 'chacha':
            self._aead = aead.ChaCha20Poly1305(key)
        else:
            self._aead = aead.AESCCM(key, tag_length=tag)
        self._iv = iv
        self._seq = 0

    def decrypt(self, header, payload):
        nonce = bytes(a ^ b for a, b in zip(self._iv, self._seq.to_bytes(12, 'big')))
        self._seq += 1
        plain = self._aead.decrypt(nonce, payload, header)
        plain = plain.rstrip(b'\x00')
        if not plain:
            raise WireError('empty TLS 1.3 inner plaintext')
        return plain[-1], plain[:-1]


class KeyShare(object):
    """An ephemeral key for one TLS 1.3 group (X25519, X448, P-256, P-384, P-521) made with ``cryptography``."""

    SUPPORTED = (29, 30, 23, 24, 25)

    def __init__(self, group):
        # pylint: disable=import-outside-toplevel
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import ec, x25519, x448
        self.group = group
        if group == 29:
            self._key = x25519.X25519PrivateKey.generate()
            self.public = self._key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        elif group == 30:
            self._key = x448.X448PrivateKey.generate()
            self.public = self._key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        elif group in (23, 24, 25):
            curve = {23: ec.SECP256R1, 24: ec.SECP384R1, 25: ec.SECP521R1}[group]()
            self._curve = curve
            self._key = ec.generate_private_key(curve)
            self.public = self._key.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
        else:
            raise WireError('no key share implementation for group %s' % group_name(group))

    def exchange(self, peer):
        # pylint: disable=import-outside-toplevel
        from cryptography.hazmat.primitives.asymmetric import ec, x25519, x448
        if self.group == 29:
            return self._key.exchange(x25519.X25519PublicKey.from_public_bytes(peer))
        if self.group == 30:
            return self._key.exchange(x448.X448PublicKey.from_public_bytes(peer))
        return self._key.exchange(ec.ECDH(), ec.EllipticCurvePublicKey.from_encoded_point(self._curve, peer))


# --------------------------------------------------------------------------------------------
# HelloRetryRequest support (RFC 8446 4.1.4): the second ClientHello needs a key share for the
# group the server asked for. To *confirm* a group no secret is needed: the share is the group's
# generator (private key 1: X25519 u=9, X448 u=5, the curves' base points, FFDHE y=2) or, for
# ML-KEM, an encapsulation key with all coefficients 0 (passes FIPS 203's modulus check); the
# server computes with it and answers with a ServerHello. Not for secrecy: used only to observe.
# --------------------------------------------------------------------------------------------

_BASE_POINTS = {
    23: bytes.fromhex(
        '046b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c2964fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51'
        'f5'),
    24: bytes.fromhex(
        '04aa87ca22be8b05378eb1c71ef320ad746e1d3b628ba79b9859f741e082542a385502f25dbf55296c3a545e3872760ab73617de4a96262c6f5d9e98bf9292dc'
        '29f8f41dbd289a147ce9da3113b5f0b8c00a60b1ce1d7e819d7a431d7c90ea0e5f'),
    25: bytes.fromhex(
        '0400c6858e06b70404e9cd9e3ecb662395b4429c648139053fb521f828af606b4d3dbaa14b5e77efe75928fe1dc127a2ffa8de3348b3c1856a429bf97e7e31c2'
        'e5bd66011839296a789a3bc0045c8a5fb42c7d1bd998f54449579b446817afbd17273e662c97ee72995ef42640c550b9013fad0761353c7086a272c24088be94'
        '769fd16650'),
    31: bytes.fromhex(
        '048bd2aeb9cb7e57cb2c4b482ffc81b7afb9de27e1e3bd23c23a4453bd9ace3262547ef835c3dac4fd97f8461a14611dc9c27745132ded8e545c1d54c72f0469'
        '97'),
    32: bytes.fromhex(
        '041d1c64f068cf45ffa2a63a81b7c13f6b8847a3e77ef14fe3db7fcafe0cbd10e8e826e03436d646aaef87b2e247d4af1e8abe1d7520f9c2a45cb1eb8e95cfd5'
        '5262b70b29feec5864e19c054ff99129280e4646217791811142820341263c5315'),
    33: bytes.fromhex(
        '0481aee4bdd82ed9645a21322e9c4c6a9385ed9f70b5d916c1b43b62eef4d0098eff3b1f78e2d0d48d50d1687b93b97d5f7c6d5047406a5e688b352209bcb9f8'
        '227dde385d566332ecc0eabfa9cf7822fdf209f70024a57b1aa000c55b881f8111b2dcde494a5f485e5bca4bd88a2763aed1ca2b2fa8f0540678cd1e0f3ad808'
        '92'),
}
_MLKEM_EK = {0x0200: 800, 0x0201: 1184, 0x0202: 1568}


def dummy_key_share(group):
    """A valid public value for ``group`` (see above), or None if none can be made."""
    x25519 = b'\x09' + b'\x00' * 31
    if group == 29:
        return x25519
    if group == 30:
        return b'\x05' + b'\x00' * 55
    if group in _BASE_POINTS:
        return _BASE_POINTS[group]
    if GROUPS.get(group, (None, None))[1] == 'ff':
        size = GROUPS[group][2] // 8
        return b'\x00' * (size - 1) + b'\x02'
    if group in _MLKEM_EK:
        return b'\x00' * _MLKEM_EK[group]
    hybrids = {0x11EC: b'\x00' * 1184 + x25519, 0x11EB: _BASE_POINTS[23] + b'\x00' * 1184,
               0x11ED: _BASE_POINTS[24] + b'\x00' * 1568, 0x6399: x25519 + b'\x00' * 1184, 0x639A: _BASE_POINTS[23] + b'\x00' * 1184}
    return hybrids.get(group)


def ext_raw(ext_type, body):
    """One extension with an already encoded body (the cookie of a HelloRetryRequest, echoed)."""
    return _ext(ext_type, body)


def tls13_suite_hash(suite_code):
    """The hash name of a TLS 1.3 suite, or None."""
    params = _TLS13_SUITE_PARAMS.get(suite_code)
    return params[0] if params else None


def message_hash(hash_name, client_hello_msg):
    """RFC 8446 4.4.1: the synthetic message_hash that replaces ClientHello1 in the transcript after an HRR."""
    digest = hashlib.new(hash_name, client_hello_msg).digest()
    return _u8(254) + _u24(len(digest)) + digest
