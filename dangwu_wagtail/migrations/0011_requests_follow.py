import django.db.models.deletion
import django.utils.timezone
import uuid
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('dangwu_wagtail', '0010_requests_answers'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Follow',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('token', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='followed since')),
                ('catalog', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='follows', to='dangwu_wagtail.catalog', verbose_name='column')),
                ('entry', models.ForeignKey(blank=True, help_text='Empty: the whole column is followed.', null=True, on_delete=django.db.models.deletion.CASCADE, related_name='follows', to='dangwu_wagtail.catalogentry', verbose_name='catalog entry')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='follower')),
            ],
            options={
                'verbose_name': 'follow',
                'verbose_name_plural': 'follows',
                'constraints': [models.UniqueConstraint(condition=models.Q(('entry__isnull', True)), fields=('user', 'catalog'), name='dangwu_follow_column_once'), models.UniqueConstraint(condition=models.Q(('entry__isnull', False)), fields=('user', 'entry'), name='dangwu_follow_entry_once')],
            },
        ),
    ]
