"""What the traffic simulator's customers say, in English and Chinese.

Every text is a template for ``str.format_map`` with these fields: ``order`` (order number),
``product``, ``amount``, ``date``, ``coupon``. A ``Topic`` has the email subject and body,
the chat opening line and the chat script: the customer's answers to the agent's messages,
2 to 4 turns, the last one a thanks line."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple


class B(NamedTuple):
    """A bilingual text."""

    en: str
    zh: str

    def lang(self, language: str) -> str:
        return self.zh if language == "zh" else self.en


@dataclass(frozen=True)
class Topic:
    key: str
    category: str  # billing | technical | orders | general (decides queue and IVR menu)
    subject: B
    email_body: B
    chat_opening: B
    chat_script: tuple[B, ...]
    email_follow_up: B


#: IVR menu per category, with the label shown in a call's subject.
IVR_MENUS: dict[str, tuple[str, B]] = {
    "billing": ("billing", B("billing", "账单")),
    "technical": ("technical", B("technical support", "技术支持")),
    "orders": ("orders", B("orders", "订单")),
    "general": ("general", B("general enquiry", "综合咨询")),
}

CALL_SUBJECT = B("Inbound call: {menu}", "来电：{menu}")

TOPICS: tuple[Topic, ...] = (
    Topic(
        "refund", "billing",
        B("Refund request for order {order}", "订单 {order} 申请退款"),
        B("I returned the {product} from order {order} two weeks ago, but I still haven't "
          "received my refund of {amount}.\nThe courier confirmed delivery of the return on "
          "{date}.\nCould you please check the status and tell me when the money will be back "
          "on my card?",
          "我两周前退回了订单 {order} 中的{product}，但至今还没有收到 {amount} 的退款。\n"
          "快递显示退货已于 {date} 签收。\n请帮我查询一下退款进度，钱什么时候能退回到我的卡上？"),
        B("Hi, I returned an item two weeks ago and I'm still waiting for my refund.",
          "你好，我两周前退了货，到现在还没收到退款。"),
        (B("The order number is {order}, it was the {product}.",
           "订单号是 {order}，退的是{product}。"),
         B("It was {amount}, paid by credit card.", "金额是 {amount}，用信用卡付的。"),
         B("OK, thanks a lot for checking!", "好的，非常感谢！")),
        B("Thanks for the update. Could you send me a confirmation once the refund is issued?",
          "谢谢回复。退款完成后能否给我发一个确认？"),
    ),
    Topic(
        "late_delivery", "orders",
        B("Where is my order {order}?", "订单 {order} 还没有送到"),
        B("My order {order} was supposed to arrive on {date}, but it still hasn't been "
          "delivered.\nThe tracking page has shown \"in transit\" for five days without any "
          "update.\nCan you tell me where the parcel is and when I can expect it?",
          "我的订单 {order} 原定 {date} 送达，但到现在还没收到。\n"
          "物流信息已经五天显示“运输中”，没有任何更新。\n请帮我查一下包裹在哪里，大概什么时候能到？"),
        B("Hello, my order is late and the tracking hasn't changed for days.",
          "你好，我的订单迟迟没到，物流好几天没更新了。"),
        (B("It's order {order}.", "订单号是 {order}。"),
         B("Could you give me the new delivery date?", "能告诉我新的送达时间吗？"),
         B("Great, thank you!", "好的，谢谢！")),
        B("The parcel still hasn't arrived. Could you open an investigation with the courier?",
          "包裹还是没有到，能否请快递公司调查一下？"),
    ),
    Topic(
        "invoice_copy", "billing",
        B("Copy of invoice for order {order}", "申请订单 {order} 的发票"),
        B("Could you please send me a copy of the invoice for order {order}?\nI need it for "
          "my company's expense report, with our company name on it.\nThe order was placed on "
          "{date}.",
          "请把订单 {order} 的发票发给我一份。\n我需要用于公司报销，发票抬头请开公司名称。\n"
          "订单是 {date} 下的。"),
        B("Hi, I need a copy of my invoice.", "你好，我需要补开一张发票。"),
        (B("Order {order}. Can you email it to me?", "订单号 {order}，可以发到我邮箱吗？"),
         B("Thanks, that's all I needed!", "谢谢，就这些了！")),
        B("Thank you. Could the invoice also show our VAT number?",
          "谢谢。发票上能加上我们公司的税号吗？"),
    ),
    Topic(
        "warranty", "technical",
        B("Warranty claim: {product} stopped working", "保修申请：{product}无法使用"),
        B("My {product} (order {order}) stopped working after eight months.\nIt no longer "
          "turns on, even with a different power cable.\nIt should still be under warranty. "
          "How do I send it in for repair or replacement?",
          "我的{product}（订单 {order}）用了八个月就坏了。\n换了电源线也开不了机。\n"
          "应该还在保修期内，请问怎么寄回维修或更换？"),
        B("Hi, my {product} broke and I think it's still under warranty.",
          "你好，我的{product}坏了，应该还在保修期内。"),
        (B("I bought it with order {order}, eight months ago.", "是订单 {order} 买的，八个月前。"),
         B("It doesn't turn on at all, I already tried another cable.",
           "完全开不了机，我已经换过线了。"),
         B("OK, I'll send it in. Thanks for your help!", "好的，我会寄回去。谢谢你的帮助！")),
        B("I have sent the device back. Could you confirm you received it?",
          "设备已经寄回，请确认是否收到。"),
    ),
    Topic(
        "password_reset", "technical",
        B("Cannot reset my password", "无法重置密码"),
        B("I can't log in to my account and the password reset email never arrives.\nI have "
          "checked my spam folder and tried three times today.\nPlease help me get back into "
          "my account.",
          "我登录不了账户，重置密码的邮件一直收不到。\n垃圾邮件箱也查过了，今天已经试了三次。\n"
          "请帮我恢复账户。"),
        B("Hi, I'm locked out of my account, the reset email doesn't come.",
          "你好，我的账户登录不了，收不到重置密码的邮件。"),
        (B("I registered with this email address.", "我是用这个邮箱注册的。"),
         B("Got it, the link works now. Thank you!", "收到了，链接可以用了。谢谢！")),
        B("The new link has expired as well. Could you send another one?",
          "新的链接也过期了，能再发一次吗？"),
    ),
    Topic(
        "damaged_goods", "orders",
        B("Damaged item received (order {order})", "收到的商品破损（订单 {order}）"),
        B("The {product} from order {order} arrived today with a cracked case.\nThe box was "
          "dented as well, so it was probably damaged in transit.\nI'd like a replacement. I "
          "can send photos if needed.",
          "今天收到订单 {order} 的{product}，外壳裂了。\n外包装也有压痕，应该是运输途中损坏的。\n"
          "我希望换一个新的，需要的话可以发照片。"),
        B("Hello, my {product} arrived broken.", "你好，我收到的{product}是坏的。"),
        (B("Order {order}. The case is cracked and the box was dented.",
           "订单号 {order}，外壳裂了，箱子也压坏了。"),
         B("I'd prefer a replacement, not a refund.", "我想换货，不想退款。"),
         B("Perfect, thank you very much!", "太好了，非常感谢！")),
        B("Here are the photos of the damage you asked for. What happens next?",
          "按要求附上了破损照片，接下来怎么处理？"),
    ),
    Topic(
        "installation", "technical",
        B("Need help installing my {product}", "{product}安装求助"),
        B("I'm trying to set up my new {product} but it won't connect to my Wi-Fi.\nThe app "
          "says \"device not found\" after the pairing step.\nI've restarted the router and "
          "the device. What else can I try?",
          "我在安装新买的{product}，但连不上家里的 Wi-Fi。\n配对完成后 App 提示“未找到设备”。\n"
          "路由器和设备都重启过了，还有什么办法？"),
        B("Hi, I can't get my new {product} to connect to Wi-Fi.",
          "你好，我新买的{product}连不上 Wi-Fi。"),
        (B("The app says \"device not found\".", "App 显示“未找到设备”。"),
         B("I tried that, now it shows up. Let me pair it again.",
           "试了，现在能搜到了，我再配对一次。"),
         B("It works now, thanks!", "可以用了，谢谢！")),
        B("It worked for a day, but now it has disconnected again.", "用了一天又断开了。"),
    ),
    Topic(
        "payment_failed", "billing",
        B("Payment failed but money was taken", "支付失败但已扣款"),
        B("I tried to pay for order {order} and the checkout said the payment failed.\n"
          "However, {amount} has been taken from my bank account.\nPlease check whether the "
          "order went through, or refund the charge.",
          "我给订单 {order} 付款时页面提示支付失败，\n但是银行卡已经被扣了 {amount}。\n"
          "请查一下订单是否成功，否则请退还这笔钱。"),
        B("Hi, my payment failed but I was still charged.", "你好，支付显示失败，但钱被扣了。"),
        (B("The order is {order}, {amount}.", "订单号 {order}，金额 {amount}。"),
         B("Yes, it shows as pending on my bank statement.", "对，银行账单上显示待处理。"),
         B("OK, I'll wait then. Thanks!", "好的，那我等一下。谢谢！")),
        B("The charge is still on my account. When will it be reversed?",
          "这笔扣款还在，什么时候能退回？"),
    ),
    Topic(
        "coupon", "billing",
        B("Coupon code not applied", "优惠券没有生效"),
        B("I used the coupon code {coupon} for order {order}, but the discount was not "
          "applied.\nAccording to your newsletter the code is valid until the end of the "
          "month.\nCould you refund the difference?",
          "我在订单 {order} 中使用了优惠码 {coupon}，但没有抵扣。\n"
          "根据你们的推送邮件，这个优惠码月底前都有效。\n能否把差价退给我？"),
        B("Hi, my coupon code didn't work at checkout.", "你好，结账时我的优惠券用不了。"),
        (B("The code is {coupon}, order {order}.", "优惠码是 {coupon}，订单号 {order}。"),
         B("Thanks, that's great!", "谢谢，太好了！")),
        B("I still see the full price on my invoice. Has the difference been refunded?",
          "发票上还是原价，差价退了吗？"),
    ),
    Topic(
        "complaint", "general",
        B("Complaint about your service", "投诉：一直没有人回复"),
        B("I'm very disappointed with how my order {order} was handled.\nI have contacted you "
          "three times and nobody has got back to me.\nI expect a proper answer and an "
          "explanation of what went wrong.",
          "我对订单 {order} 的处理非常不满意。\n我已经联系了你们三次，一直没有人回复。\n"
          "希望能给我一个明确的答复，并解释问题出在哪里。"),
        B("I want to make a complaint. Nobody answers my emails.",
          "我要投诉，发了邮件一直没人回复。"),
        (B("It's about order {order}. I've been waiting for a week.",
           "是订单 {order} 的问题，已经等了一个星期了。"),
         B("I want someone to call me back today.", "我希望今天有人给我回电话。"),
         B("Alright. Thank you for listening.", "好吧，谢谢你听我说完。")),
        B("I still haven't heard from anyone. This is not acceptable.",
          "还是没人联系我，这样不行。"),
    ),
    Topic(
        "membership", "general",
        B("Question about my membership", "会员权益咨询"),
        B("I renewed my membership last week, but my account still shows the basic level.\n"
          "I'm not getting free shipping on my orders.\nCould you check and update my account?",
          "我上周续费了会员，但账户还显示普通会员。\n下单也没有享受免运费。\n请帮我查一下并更新账户。"),
        B("Hello, I renewed my membership but it isn't showing on my account.",
          "你好，我续费了会员，但账户里没有显示。"),
        (B("I paid {amount} on {date}.", "我在 {date} 付了 {amount}。"),
         B("I can see it now. Thanks!", "现在看到了，谢谢！")),
        B("Thanks. Will the shipping fee for my last order be refunded?",
          "谢谢。上一单的运费能退吗？"),
    ),
)

#: Short answers once a chat's script has ended.
ACKNOWLEDGEMENTS: tuple[B, ...] = (
    B("OK.", "好的。"),
    B("Sure, thanks.", "好的，谢谢。"),
    B("Got it.", "收到。"),
    B("Alright, thank you.", "嗯，谢谢。"),
)

GREETINGS: tuple[B, ...] = (
    B("Hello,", "您好，"),
    B("Hi,", "你好，"),
    B("Dear support team,", "客服您好："),
)
SIGN_OFFS: tuple[B, ...] = (
    B("Kind regards,", "谢谢！"),
    B("Thanks,", "谢谢，"),
    B("Best regards,", "此致\n敬礼"),
)

PRODUCTS: tuple[B, ...] = (
    B("blender", "搅拌机"),
    B("wireless headphones", "无线耳机"),
    B("coffee machine", "咖啡机"),
    B("robot vacuum", "扫地机器人"),
    B("smart watch", "智能手表"),
    B("air purifier", "空气净化器"),
)
COUPONS: tuple[str, ...] = ("SAVE10", "SPRING15", "WELCOME20", "VIP25")
MONTHS: tuple[str, ...] = ("January", "February", "March", "April", "May", "June", "July",
                           "August", "September", "October", "November", "December")

#: Used when the backend knows no customers (keys as ``ContactSink.customer_identities``).
SYNTHETIC_CUSTOMERS: tuple[dict[str, str], ...] = (
    {"name": "Alex Morgan", "language": "en", "tier": "standard", "phone": "+15550100101",
     "email": "alex.morgan@customer.example", "chat": "chat:alex.morgan"},
    {"name": "Priya Shah", "language": "en", "tier": "gold", "phone": "+15550100102",
     "email": "priya.shah@customer.example", "chat": "chat:priya.shah"},
    {"name": "Tom Becker", "language": "en", "tier": "vip", "phone": "+15550100103",
     "email": "tom.becker@customer.example", "chat": "chat:tom.becker"},
    {"name": "Maria Lopez", "language": "en", "tier": "standard", "phone": "+15550100104",
     "email": "maria.lopez@customer.example", "chat": "chat:maria.lopez"},
    {"name": "李伟", "language": "zh", "tier": "standard", "phone": "+8613900000101",
     "email": "liwei@customer.example", "chat": "chat:liwei"},
    {"name": "张敏", "language": "zh", "tier": "gold", "phone": "+8613900000102",
     "email": "zhangmin@customer.example", "chat": "chat:zhangmin"},
)

#: Survey comments by how the customer felt: ``good`` (CSAT 4-5), ``ok`` (3), ``bad`` (1-2).
SURVEY_COMMENTS: dict[str, tuple[B, ...]] = {
    "good": (
        B("Quick and friendly, thank you!", "回复很快，态度也很好，谢谢！"),
        B("The agent solved it on the first try.", "客服一次就帮我解决了问题。"),
        B("Very helpful, clear explanation.", "非常有帮助，解释得很清楚。"),
        B("Great service as always.", "服务一如既往地好。"),
    ),
    "ok": (
        B("Fine, but it took a while.", "还可以，就是花的时间有点长。"),
        B("Problem solved, although I had to explain it twice.", "问题解决了，不过我解释了两遍。"),
        B("OK. The answer could have been clearer.", "一般，回答可以再清楚一些。"),
    ),
    "bad": (
        B("I waited far too long and nobody could help me.", "等了太久，也没有人能帮我解决。"),
        B("I was passed from one person to the next. Very frustrating.",
          "我被转来转去，非常失望。"),
        B("My problem is still not solved.", "我的问题到现在还没有解决。"),
        B("Nobody called me back as promised.", "说好的回电一直没有等到。"),
    ),
}
