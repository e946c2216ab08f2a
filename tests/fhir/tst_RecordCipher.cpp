#include "fhir/store/RecordCipher.h"

#include <QRandomGenerator>
#include <QSet>
#include <QTest>

using ondevice::fhir::RecordCipher;
using ondevice::fhir::StoreError;
using TagKind = RecordCipher::TagKind;

namespace {

QByteArray sequenceKey()
{
    QByteArray key(32, Qt::Uninitialized);
    for (int i = 0; i < 32; ++i)
        key[i] = char(i);
    return key;
}

std::unique_ptr<RecordCipher> cipherFor(const QByteArray& key)
{
    auto cipher = RecordCipher::fromDataKey(key);
    return cipher ? std::move(cipher).value() : nullptr;
}

} // namespace

class tst_RecordCipher : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // RFC 5869 appendix A, test cases 1 and 3 (SHA-256).
    void hkdfRfc5869_data()
    {
        QTest::addColumn<QByteArray>("ikm");
        QTest::addColumn<QByteArray>("salt");
        QTest::addColumn<QByteArray>("info");
        QTest::addColumn<QByteArray>("okm");
        QTest::newRow("test case 1") << QByteArray(22, '\x0b') << QByteArray::fromHex("000102030405060708090a0b0c")
                                     << QByteArray::fromHex("f0f1f2f3f4f5f6f7f8f9")
                                     << QByteArray::fromHex(
                                            "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4"
                                            "c5bf34007208d5b887185865");
        QTest::newRow("test case 3: no salt, no info")
            << QByteArray(22, '\x0b') << QByteArray() << QByteArray()
            << QByteArray::fromHex("8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b6"
                                   "1a96c8");
    }
    void hkdfRfc5869()
    {
        QFETCH(QByteArray, ikm);
        QFETCH(QByteArray, salt);
        QFETCH(QByteArray, info);
        QFETCH(QByteArray, okm);
        QCOMPARE(RecordCipher::hkdfSha256(ikm, salt, info, int(okm.size())).toHex(), okm.toHex());
    }

    void hkdfRefusesImpossibleLengths()
    {
        QVERIFY(RecordCipher::hkdfSha256(sequenceKey(), "s", "i", 0).isEmpty());
        QVERIFY(RecordCipher::hkdfSha256(sequenceKey(), "s", "i", -1).isEmpty());
        QVERIFY(RecordCipher::hkdfSha256(sequenceKey(), "s", "i", 255 * 32 + 1).isEmpty());
        QCOMPARE(RecordCipher::hkdfSha256(sequenceKey(), "s", "i", 255 * 32).size(), 255 * 32);
    }

    void refusesKeysOfTheWrongSize_data()
    {
        QTest::addColumn<int>("size");
        QTest::newRow("missing") << 0;
        QTest::newRow("16 bytes") << 16;
        QTest::newRow("31 bytes") << 31;
        QTest::newRow("33 bytes") << 33;
        QTest::newRow("64 bytes") << 64;
    }
    void refusesKeysOfTheWrongSize()
    {
        QFETCH(int, size);
        const auto cipher = RecordCipher::fromDataKey(QByteArray(size, 'k'));
        QVERIFY(!cipher);
        QCOMPARE(cipher.code(), StoreError::WrongKey);
        QVERIFY(!cipher.failure().message.isEmpty());
    }

    void roundTrip_data()
    {
        QTest::addColumn<QByteArray>("plain");
        QTest::addColumn<QByteArray>("aad");
        QTest::newRow("empty, no aad") << QByteArray() << QByteArray();
        QTest::newRow("one byte") << QByteArray("x") << QByteArray("aad");
        QTest::newRow("resource") << QByteArray("{\"resourceType\":\"Observation\",\"id\":\"o1\"}")
                                  << QByteArray("conn\0Observation\0tag", 21);
        QTest::newRow("with NULs") << QByteArray("a\0b\0c", 5) << QByteArray("\0", 1);
        QTest::newRow("256 KiB") << QByteArray(256 * 1024, 'z') << QByteArray(1000, 'a');
    }
    void roundTrip()
    {
        QFETCH(QByteArray, plain);
        QFETCH(QByteArray, aad);
        auto cipher = cipherFor(sequenceKey());
        QVERIFY(cipher);
        const auto sealed = cipher->encrypt(plain, aad);
        QVERIFY(sealed);
        QCOMPARE(sealed->size(), plain.size() + RecordCipher::SealOverhead);
        QCOMPARE(sealed->at(0), RecordCipher::FormatV1);
        if (plain.size() >= 8)
            QVERIFY(!sealed->contains(plain.left(8)));
        const auto opened = cipher->decrypt(*sealed, aad);
        QVERIFY(opened);
        QCOMPARE(*opened, plain);
        // Another object with the same key opens it too: nothing depends on the object's state.
        auto other = cipherFor(sequenceKey());
        QCOMPARE(other->decrypt(*sealed, aad).value_or("<failed>"), plain);
    }

    void everyEncryptionUsesAFreshNonce()
    {
        auto cipher = cipherFor(sequenceKey());
        const QByteArray plain("the same resource, written again");
        QSet<QByteArray> nonces;
        QSet<QByteArray> seals;
        // Nonces are drawn 256 at a time: 2,000 seals cross several draws, and a second cipher draws its own.
        auto other = cipherFor(sequenceKey());
        for (int i = 0; i < 2000; ++i) {
            const auto sealed = cipher->encrypt(plain, "aad");
            const auto sealedByOther = other->encrypt(plain, "aad");
            QVERIFY(sealed && sealedByOther);
            nonces.insert(sealed->mid(1, RecordCipher::NonceSize));
            nonces.insert(sealedByOther->mid(1, RecordCipher::NonceSize));
            seals.insert(*sealed);
            QCOMPARE(cipher->decrypt(*sealed, "aad").value_or(QByteArray()), plain);
        }
        QCOMPARE(nonces.size(), 4000);
        QCOMPARE(seals.size(), 2000);
    }

    // Every single-bit change anywhere in the seal (format byte, nonce, ciphertext, tag) is refused.
    void tamperingIsDetected()
    {
        auto cipher = cipherFor(sequenceKey());
        const QByteArray plain("blood pressure 120/80");
        const QByteArray sealed = cipher->encrypt(plain, "aad").value();
        for (qsizetype i = 0; i < sealed.size(); ++i) {
            for (int bit = 0; bit < 8; bit += 3) {
                QByteArray changed = sealed;
                changed[i] = char(changed.at(i) ^ (1 << bit));
                QVERIFY2(
                    !cipher->decrypt(changed, "aad"), qPrintable(QStringLiteral("byte %1 bit %2").arg(i).arg(bit)));
            }
        }
        QVERIFY(!cipher->decrypt(sealed.chopped(1), "aad"));
        QVERIFY(!cipher->decrypt(QByteArray(sealed + 'x'), "aad"));
        QVERIFY(!cipher->decrypt(sealed, "aae"));
        QVERIFY(!cipher->decrypt(sealed, ""));
        QVERIFY(!cipher->decrypt(sealed, QByteArray("aad\0", 4)));
        // The object is still usable after failures.
        QCOMPARE(cipher->decrypt(sealed, "aad").value_or(QByteArray()), plain);
    }

    void anotherKeyCannotOpen()
    {
        auto cipher = cipherFor(sequenceKey());
        QByteArray otherKey = sequenceKey();
        otherKey[31] = char(otherKey.at(31) ^ 1);
        auto other = cipherFor(otherKey);
        const QByteArray sealed = cipher->encrypt("secret", "aad").value();
        QVERIFY(!other->decrypt(sealed, "aad"));
        QVERIFY(cipher->keyCheckValue() != other->keyCheckValue());
    }

    // Arbitrary input never crashes or opens (a small fuzz pass; the function is a fuzzing target).
    void malformedInputIsRefused()
    {
        auto cipher = cipherFor(sequenceKey());
        QVERIFY(!cipher->decrypt(QByteArray(), "aad"));
        QVERIFY(!cipher->decrypt(QByteArrayView(), QByteArrayView()));
        QVERIFY(!cipher->decrypt(QByteArray(1, RecordCipher::FormatV1), "aad"));
        QVERIFY(!cipher->decrypt(QByteArray(RecordCipher::SealOverhead - 1, RecordCipher::FormatV1), "aad"));
        QVERIFY(!cipher->decrypt(QByteArray(RecordCipher::SealOverhead, RecordCipher::FormatV1), "aad"));
        QRandomGenerator random(42);
        for (int i = 0; i < 2000; ++i) {
            QByteArray junk(random.bounded(0, 80), Qt::Uninitialized);
            for (char& c : junk)
                c = char(random.bounded(256));
            if (!junk.isEmpty() && i % 2 == 0)
                junk[0] = RecordCipher::FormatV1;
            QVERIFY(!cipher->decrypt(junk, "aad"));
        }
    }

    void tagsAreDeterministicAndSeparated()
    {
        auto a = cipherFor(sequenceKey());
        auto b = cipherFor(sequenceKey());
        QByteArray otherKey(32, '\x7f');
        auto c = cipherFor(otherKey);
        const QByteArray value("Observation\0http://loinc.org|8480-6", 35);
        const QByteArray tag = a->tag(TagKind::Code, value);
        QCOMPARE(tag.size(), RecordCipher::LookupTagSize);
        // Interleaved calls: the reused HMAC context must restart cleanly every time.
        QVERIFY(a->tag(TagKind::Category, value) != tag);
        QVERIFY(a->tag(TagKind::Code, "Observation") != tag);
        QCOMPARE(a->tag(TagKind::Code, value), tag);
        QCOMPARE(b->tag(TagKind::Code, value), tag);
        QVERIFY(c->tag(TagKind::Code, value) != tag);
        QVERIFY(!tag.contains("8480"));
        QCOMPARE(a->tag(TagKind::ResourceType, QByteArray()).size(), RecordCipher::LookupTagSize);
    }

    // Values computed independently (Python hmac/hashlib and pyca/cryptography AESGCM) from the labels in
    // RecordCipher.h. They pin the on-disk format: if one of these changes, existing databases can no
    // longer be read, and a migration is owed.
    void knownAnswerTag()
    {
        auto cipher = cipherFor(sequenceKey());
        QCOMPARE(cipher->tag(TagKind::Code, QByteArray("Observation\0http://loinc.org|8480-6", 35)).toHex(),
            QByteArray("2dad087a300907a306527ddda9405fa9"));
        QCOMPARE(cipher->keyCheckValue().toHex(), QByteArray("67280ece735dc87b2af2a17e2184ec7e"));
    }
    void knownAnswerSeal()
    {
        auto cipher = cipherFor(sequenceKey());
        const QByteArray sealed = QByteArray::fromHex(
            "016465666768696a6b6c6d6e6f5f987d8ff2ded6b3a8990abf0be50276de7422dc8b4d457004f8e910913daf");
        QCOMPARE(cipher->decrypt(sealed, "known aad").value_or("<failed>"), QByteArray("known plaintext"));
        QVERIFY(!cipher->decrypt(sealed, "known aae"));
    }
};

QTEST_GUILESS_MAIN(tst_RecordCipher)
#include "tst_RecordCipher.moc"
