from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('dangwu_wagtail', '0009_requests_public'),
    ]

    operations = [
        migrations.AddField(
            model_name='disclosurerequest',
            name='refusal_reason',
            field=models.CharField(blank=True, choices=[('state_secret', 'a state secret (属于国家秘密)'), ('party_secret', 'a Party secret (属于党的秘密)'), ('forbidden', 'forbidden by other laws or Party regulations (其他法律法规和党内法规禁止公开)'), ('security', 'would endanger security and stability (危及“三安全一稳定”)'), ('third_party', "protects a third party's lawful rights, e.g. personal information (保护第三方合法权益)"), ('internal_affairs', 'internal affairs: personnel, logistics, internal procedure (属于内部事务信息)'), ('process', 'process information: discussions, drafts, consultations, requests for instructions (属于过程性信息)'), ('case_file', 'a discipline or case file (属于纪律审查等案卷信息)'), ('inquiry', 'a matter for inquiry through its own channel (属于查询事项)'), ('not_held_here', 'this organisation does not hold the information (本组织不掌握相关信息)'), ('needs_making', 'no such information exists; it would have to be made (没有现成信息需要另行制作)'), ('still_unclear', 'the request is still unclear after clarification (补正后申请内容仍不明确)')], help_text='Why it is refused, or why it cannot be provided, as annual reports count it.', max_length=30, verbose_name='reason'),
        ),
        migrations.AlterField(
            model_name='disclosurerequest',
            name='answer_type',
            field=models.CharField(blank=True, choices=[('disclosed', 'disclosed (予以公开)'), ('partial', 'partly disclosed (部分公开)'), ('already_disclosed', 'already disclosed (已经公开)'), ('not_held', 'not held (信息不存在)'), ('not_this_organisation', 'not held by this organisation'), ('refused', 'refused (不予公开)'), ('deferred', 'not to be disclosed for now (暂时不宜公开)')], max_length=25, verbose_name='answer'),
        ),
    ]
