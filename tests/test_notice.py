"""The printed notice (公示) carries what a notice board needs: the notice period of its
column, the supervision telephone, a QR code of the item's address and a sign-off."""

import re

import segno

CHINESE = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def notice_html(client, item):
    response = client.get(item.url, **CHINESE)
    assert response.status_code == 200
    return response.content.decode()


def test_notice_has_period_phone_qr_and_sign_off(client, school_a, items_a):
    item = items_a["public"]
    school_a.supervision_phone = "021-64001234"
    school_a.notice_period = 7
    school_a.save()
    html = notice_html(client, item)
    assert "公示期：" in html and "共7个工作日" in html
    assert "监督电话：021-64001234" in html
    assert "打印公示" in html and 'onclick="window.print()"' in html
    sign_off = re.search(r'<p class="dangwu-notice-sign">(.*?)</p>', html, re.DOTALL).group(1)
    assert school_a.organisation_name in sign_off
    published = item.first_published_at.astimezone().date()
    assert f"{published.year}年{published.month}月{published.day}日" in sign_off
    # The QR code is the item's full address, as segno draws it.
    expected = segno.make(item.full_url, error="m").svg_inline(scale=3)
    path = re.search(r'd="([^"]+)"', expected).group(1)
    assert f'd="{path}"' in html


def test_notice_period_follows_the_column_and_phone_falls_back(client, school_a, items_a):
    school_a.supervision_phone = ""
    school_a.contact_phone = "021-64005678"
    school_a.notice_period = 10
    school_a.save()
    html = notice_html(client, items_a["public"])
    assert "共10个工作日" in html
    assert "监督电话：021-64005678" in html
